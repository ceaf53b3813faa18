package finalacts

import (
	"context"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
)

// SignRefusal says why the actor may not sign final acts now for party
// ("": its own), for a page that explains it instead of the signing form:
// the error Sign would give on the current text (the rule's sentence), or
// nil when the actor may sign. It agrees with MaySign.
func (s *Service) SignRefusal(ctx context.Context, sc *forum.Scope, id, party string) error {
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return plenary.Unauthorized("log in as the head of a delegation, or a delegate named to sign, to sign final acts")
	}
	r, err := s.readable(ctx, sc, id)
	if err != nil {
		return err
	}
	if !r.isOpen(s.now().UnixMilli()) {
		return plenary.Conflict("the final acts %s are not open for signature now: %s", r.Number, r.window())
	}
	c, err := s.signer(ctx, s.store, sc.As(sc.Actor), r, party)
	if err != nil {
		return err
	}
	last, had, err := s.lastSignature(ctx, s.store, r.ID, c.PartyID)
	if err != nil || !had {
		return err
	}
	if last.State.IsSigned() && last.Hash == r.Hash {
		return plenary.Conflict("%s has already signed: %s, %s, %s", c.PartyName, strings.ToLower(last.State.Label()), last.Signer, fmtTime(last.At.UnixMilli()))
	}
	return nil
}
