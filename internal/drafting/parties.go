package drafting

import (
	"context"
	"encoding/json"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/store"
)

// mergeParty moves the proposals of a duplicate party onto the party kept,
// inside the merge's transaction: those it made become the kept party's
// (their labels, USA/6/1, stay: they are the proposals' names on the
// record), and its co-sponsorships become the kept party's, once, and
// never of a proposal the kept party made itself. It counts the proposals
// it made or co-sponsored.
func (s *Service) mergeParty(ctx context.Context, tx *store.Tx, f forum.Forum, from, into participation.Party) (string, int, error) {
	ams, err := queryAmendments(ctx, tx, ` WHERE a.forum_id = ? AND (a.party_id = ? OR a.id IN
		(SELECT amendment_id FROM amendment_cosponsors WHERE party_id = ?)) ORDER BY a.created_at, a.id`, f.ID, from.ID, from.ID)
	if err != nil {
		return "", 0, err
	}
	for _, am := range ams {
		if am.PartyID == from.ID {
			am.PartyID, am.PartyName = into.ID, into.Name
			if am.Proposer == from.Code {
				am.Proposer = into.Code
			}
		}
		co := []string{}
		seen := map[string]bool{am.Proposer: true}
		for _, c := range am.CoSponsors {
			if c == from.Code {
				c = into.Code
			}
			if !seen[c] {
				seen[c] = true
				co = append(co, c)
			}
		}
		if len(co) == 0 {
			co = nil
		}
		am.CoSponsors = co
		data, err := json.Marshal(am.Amendment)
		if err != nil {
			return "", 0, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE amendments SET party_id = ?, party_code = ?, party_name = ?, data = ?, updated_at = ? WHERE id = ?",
			am.PartyID, am.Proposer, am.PartyName, string(data), forum.NowUTC().UnixMilli(), am.ID); err != nil {
			return "", 0, err
		}
	}
	// The kept party no longer co-sponsors what it now proposes; the
	// duplicate's co-sponsorships become its own where it has none.
	if _, err := tx.ExecContext(ctx, `DELETE FROM amendment_cosponsors WHERE party_id IN (?, ?)
		AND amendment_id IN (SELECT id FROM amendments WHERE party_id = ?)`, from.ID, into.ID, into.ID); err != nil {
		return "", 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE amendment_cosponsors SET party_id = ?, party_code = ?, party_name = ? WHERE party_id = ?
		AND amendment_id NOT IN (SELECT amendment_id FROM amendment_cosponsors WHERE party_id = ?)`,
		into.ID, into.Code, into.Name, from.ID, into.ID); err != nil {
		return "", 0, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM amendment_cosponsors WHERE party_id = ?", from.ID); err != nil {
		return "", 0, err
	}
	return "proposals", len(ams), nil
}
