package store_test

import (
	"context"
	"testing"

	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// The ledger never holds a silent repair of text: a payload with invalid
// UTF-8 (which encoding/json would write as U+FFFD) fails the transaction,
// so a command that forgot to check its text stores nothing at all.
func TestEmitRefusesTextThatIsNotUTF8(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	for _, tt := range []struct {
		payload any
		ok      bool
	}{
		{map[string]string{"title": "Côte d’Ivoire"}, true},
		{map[string]string{"title": "\ufffd is a character"}, true},
		{map[string]string{"title": `a backslash and \ufffd, written out`}, true},
		{map[string]string{"title": `\\ufffd`}, true},
		{map[string]string{"title": "C\xf4te d'Ivoire"}, false},
		{map[string]any{"parties": []map[string]string{{"name": "ok"}, {"name": "\xff"}}}, false},
		{map[string]string{"title": `\` + "\xff"}, false},
	} {
		_, err := s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Emit(ctx, "forum-1", "user-1", "note.added", ledger.VisPublic, tt.payload)
			return err
		})
		if (err == nil) != tt.ok {
			t.Errorf("%q: err %v, want ok %v", tt.payload, err, tt.ok)
		}
	}
	evs, err := s.EventsAfter(ctx, "forum-1", 0, 100)
	if err != nil || len(evs) != 4 {
		t.Fatalf("%d events stored, want the 4 good ones: %v", len(evs), err)
	}
}
