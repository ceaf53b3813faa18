package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// BenchmarkLedgerAppend measures ledger appends on the test engine (SQLite
// by default; PostgreSQL with PLENARY_TEST_ENGINE=postgres): one event per
// transaction, as a single command writes, and 100 per transaction, as a
// bulk import writes. Each event is sealed (canonical JSON, SHA-256 chain)
// and stored with the head update in the same transaction.
func BenchmarkLedgerAppend(b *testing.B) {
	for _, per := range []int{1, 100} {
		b.Run(fmt.Sprintf("events_per_tx=%d", per), func(b *testing.B) {
			st := storetest.New(b)
			ctx := context.Background()
			payload := map[string]any{"document": "WTPF-13/5", "title": "Contribution from the United States of America", "parties": []string{"USA"}, "visibility": "public"}
			b.ResetTimer()
			for i := 0; i < b.N; i += per {
				_, err := st.Write(ctx, func(tx *store.Tx) error {
					for j := 0; j < per; j++ {
						if _, err := tx.Emit(ctx, "forum", "user-1", "document.submitted", ledger.VisPublic, payload); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
	// The baseline, run beside: the same rows inserted into a plain table
	// (no canonical encoding, no hash chain, no head row), in
	// transactions of the same sizes.
	for _, per := range []int{1, 100} {
		b.Run(fmt.Sprintf("baseline_plain_insert/rows_per_tx=%d", per), func(b *testing.B) {
			st := storetest.New(b)
			ctx := context.Background()
			if _, err := st.ExecContext(ctx, `CREATE TABLE plain_rows (chain TEXT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL,
				actor TEXT NOT NULL, type TEXT NOT NULL, visibility TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (chain, seq))`); err != nil {
				b.Fatal(err)
			}
			payload := `{"document":"WTPF-13/5","parties":["USA"],"title":"Contribution from the United States of America","visibility":"public"}`
			seq := 0
			b.ResetTimer()
			for i := 0; i < b.N; i += per {
				_, err := st.Write(ctx, func(tx *store.Tx) error {
					for j := 0; j < per; j++ {
						seq++
						if _, err := tx.ExecContext(ctx, "INSERT INTO plain_rows (chain, seq, at, actor, type, visibility, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
							"forum", seq, 1, "user-1", "document.submitted", "public", payload); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
