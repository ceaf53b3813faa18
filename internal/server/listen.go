package server

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/plenary-forum/plenary/internal/store"
)

// listen follows the PostgreSQL channel on which every process announces
// its commits, so that this process's subscribers also get events
// committed by other processes on the same database. After a lost
// connection it reconnects and asks the broker to catch up every chain it
// follows, so nothing committed meanwhile is missed.
func (s *Server) listen(ctx context.Context) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("live: PostgreSQL listener lost; reconnecting", "err", store.RedactURLError(err, s.store.PostgresURL()), "in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		if backoff < 5*time.Second {
			backoff *= 2
		}
	}
}

func (s *Server) listenOnce(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, s.store.PostgresURL())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+store.NotifyChannel); err != nil {
		return err
	}
	s.svc.Kernel.Remote("") // what was kept may have missed notifications
	s.broker.CatchUp()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		chain, seqs, ok := strings.Cut(n.Payload, " ")
		seq, err := strconv.ParseInt(seqs, 10, 64)
		if !ok || err != nil {
			s.log.Warn("live: malformed notification", "payload", n.Payload)
			continue
		}
		s.svc.Kernel.Remote(chain)
		s.broker.Notify(chain, seq)
	}
}
