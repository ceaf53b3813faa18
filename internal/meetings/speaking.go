package meetings

import (
	"context"
	"sort"

	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
)

// SpeakingSplit is the time and turns of one stakeholder group or party,
// in the room, remote and at remote hubs.
type SpeakingSplit struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	RoomMS      int64  `json:"room_ms"`
	RemoteMS    int64  `json:"remote_ms"`
	HubMS       int64  `json:"hub_ms"`
	RoomTurns   int    `json:"room_turns"`
	RemoteTurns int    `json:"remote_turns"`
	HubTurns    int    `json:"hub_turns"`
}

// TotalMS is the time spoken from anywhere.
func (s SpeakingSplit) TotalMS() int64 { return s.RoomMS + s.RemoteMS + s.HubMS }

// SpeakingSplits are speaking time per stakeholder group and per party,
// each split by where the speakers spoke from, most first. They count the
// finished interventions only (SpeakingTime also counts the turn at the
// floor while a meeting sits).
type SpeakingSplits struct {
	Groups  []SpeakingSplit `json:"groups"`
	Parties []SpeakingSplit `json:"parties"`
}

// SpeakingSplitsOf is the split of one meeting's interventions (ref) or,
// with ref "", of those of every meeting of the forum the actor may see.
func (s *Service) SpeakingSplitsOf(ctx context.Context, sc *forum.Scope, ref string) (SpeakingSplits, error) {
	where, args := "WHERE m.forum_id = ?", []any{sc.Forum.ID}
	if ref != "" {
		m, err := s.Meeting(ctx, sc, ref)
		if err != nil {
			return SpeakingSplits{}, err
		}
		where, args = "WHERE i.meeting_id = ?", []any{m.ID}
	} else {
		v, err := sc.Viewer(ctx)
		if err != nil {
			return SpeakingSplits{}, err
		}
		if !v.CanSee("members") {
			where += " AND m.access = ?"
			args = append(args, AccessOpen)
		}
	}
	rows, err := s.store.QueryContext(ctx, `SELECT i.group_key, i.group_name, i.party_id, i.party_name, i.speaker, i.speaker_name,
		i.origin, i.spoken_ms FROM meeting_interventions i JOIN meetings m ON m.id = i.meeting_id `+where+` ORDER BY i.seq`, args...)
	if err != nil {
		return SpeakingSplits{}, err
	}
	defer rows.Close()
	groups, parties := map[string]*SpeakingSplit{}, map[string]*SpeakingSplit{}
	add := func(m map[string]*SpeakingSplit, key, name, origin string, ms int64) {
		c := m[key]
		if c == nil {
			c = &SpeakingSplit{Key: key, Name: name}
			m[key] = c
		}
		switch floor.Origin(origin) {
		case floor.Remote:
			c.RemoteMS += ms
			c.RemoteTurns++
		case floor.Hub:
			c.HubMS += ms
			c.HubTurns++
		default:
			c.RoomMS += ms
			c.RoomTurns++
		}
	}
	for rows.Next() {
		var g, gn, p, pn, sp, spn, o string
		var ms int64
		if err := rows.Scan(&g, &gn, &p, &pn, &sp, &spn, &o, &ms); err != nil {
			return SpeakingSplits{}, err
		}
		if gn == "" {
			gn = g
		}
		if gn == "" {
			gn = "No stakeholder group"
		}
		add(groups, g, gn, o, ms)
		if p != "" {
			add(parties, p, pn, o, ms)
		} else {
			add(parties, "speaker:"+sp, spn, o, ms)
		}
	}
	if err := rows.Err(); err != nil {
		return SpeakingSplits{}, err
	}
	return SpeakingSplits{Groups: sortSplits(groups), Parties: sortSplits(parties)}, nil
}

func sortSplits(m map[string]*SpeakingSplit) []SpeakingSplit {
	out := make([]SpeakingSplit, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TotalMS() != out[j].TotalMS() {
			return out[i].TotalMS() > out[j].TotalMS()
		}
		return out[i].Name+out[i].Key < out[j].Name+out[j].Key
	})
	return out
}
