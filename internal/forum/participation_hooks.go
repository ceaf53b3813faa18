package forum

import (
	"context"

	"github.com/plenary-forum/plenary"
)

// fillViewer adds the actor's standing in the forum from its registrations.
// Until registrations exist, only the site secretariat sees beyond public.
func (s *Service) fillViewer(ctx context.Context, v *Viewer) error {
	_ = ctx
	_ = v
	return nil
}

func forbiddenSecretariat(f Forum) error {
	return plenary.Forbidden("only the secretariat of %s may do this", f.Title)
}
