package record

import (
	"context"
	"crypto/ed25519"
	"io"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// exportPageBytes bounds the payload bytes of one page of an export.
const exportPageBytes = 1 << 20

// ExportLedger writes a chain as a JSON-lines export (ledger.FormatV1):
// the header, then every event in order with each signed checkpoint right
// after the event it signs. show decides by visibility which events are
// written in full; the rest are redacted but still verify. Filter names
// the filter in the header ("" for a full export).
func (s *Service) ExportLedger(ctx context.Context, chain string, w io.Writer, show func(visibility string) bool, filter string) error {
	h := ledger.Header{Chain: chain, Filter: filter, ExportedAt: forum.NowUTC()}
	if s.signer != nil {
		h.PublicKey, h.KeyID = s.signer.PublicKeyBase64(), s.signer.KeyID()
	}
	lw, err := ledger.NewWriter(w, h, show)
	if err != nil {
		return err
	}
	// Events are read in pages bounded by count and by payload bytes, so an
	// export holds at most about exportPageBytes of events (plus the one
	// that crosses the bound) however large the forum's record is; a client
	// that stops reading holds that until the server's write timeout.
	var after int64
	for {
		evs, err := s.store.EventPage(ctx, chain, after, 2000, exportPageBytes)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			break
		}
		last := evs[len(evs)-1].Seq
		cps, err := s.store.Checkpoints(ctx, chain, after, last)
		if err != nil {
			return err
		}
		ci := 0
		for _, ev := range evs {
			if err := lw.WriteEvent(ev); err != nil {
				return err
			}
			for ci < len(cps) && cps[ci].Seq == ev.Seq {
				if err := lw.WriteCheckpoint(cps[ci]); err != nil {
					return err
				}
				ci++
			}
		}
		after = last
	}
	return lw.Flush()
}

// VerifyChain checks a chain as stored in the database: every hash, every
// link, every checkpoint signature against the given keys (the server's
// own key when none are given).
func (s *Service) VerifyChain(ctx context.Context, chain string, keys ...ed25519.PublicKey) (ledger.Report, error) {
	if len(keys) == 0 && s.signer != nil {
		keys = []ed25519.PublicKey{s.signer.Public()}
	}
	return s.store.VerifyChain(ctx, chain, ledger.VerifyOptions{Keys: keys})
}
