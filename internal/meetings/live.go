package meetings

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary/internal/cache"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// DecisionTypes are the events of a meeting that its live page lists as
// what was decided: changes of state, the agenda's adoption and current
// item, rulings on points of order, and the list of speakers closed or
// reopened.
var DecisionTypes = []string{"meeting.state_changed", "agenda.adopted", "agenda.current_item_set", "floor.ruled", "floor.closed", "floor.reopened"}

// decisionScan bounds how far back Decisions reads the forum's record.
const decisionScan = 2000

// Decisions are the last n events of the meeting among DecisionTypes that
// the actor may see, newest first, from the forum's record (read back at
// most decisionScan events). The list is kept until the forum's chain
// moves, once per kind of viewer (the visibilities it reads), so renders
// between two events do not read the record again; callers must not change
// it.
func (s *Service) Decisions(ctx context.Context, sc *forum.Scope, m Meeting, n int) ([]ledger.Event, error) {
	v, err := sc.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	key := "decisions|" + m.ID + "|" + strconv.Itoa(n) + "|" + strings.Join(v.Visibilities(), ",")
	return cache.Get(s.kernel.Cache(), sc.Forum.ID, key, func() ([]ledger.Event, error) {
		head, err := s.store.HeadSeq(ctx, sc.Forum.ID)
		if err != nil {
			return nil, err
		}
		out := []ledger.Event{}
		before := head + 1
		for read := 0; read < decisionScan && before > 1 && len(out) < n; {
			evs, err := s.store.EventsBefore(ctx, sc.Forum.ID, before, 250, v.Visibilities())
			if err != nil {
				return nil, err
			}
			if len(evs) == 0 {
				break
			}
			for _, ev := range evs {
				if len(out) < n && slices.Contains(DecisionTypes, ev.Type) && OfMeeting(ev) == m.ID {
					out = append(out, ev)
				}
			}
			read += len(evs)
			before = evs[len(evs)-1].Seq
		}
		return out, nil
	})
}

// OfMeeting is the meeting an event of the record names (its payload's
// "meeting"), "" when none: a client follows one meeting by it.
func OfMeeting(ev ledger.Event) string {
	var p struct {
		Meeting string `json:"meeting"`
	}
	if len(ev.Payload) == 0 || json.Unmarshal(ev.Payload, &p) != nil {
		return ""
	}
	return p.Meeting
}
