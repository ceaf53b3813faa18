package ledger_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/ledger"
)

// A forum's chain is sealed event by event, its head signed, exported as
// JSON lines, and verified by anyone holding the forum's public key.
func Example() {
	signer, _ := ledger.NewSigner(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	at := time.Date(2013, 5, 14, 9, 30, 0, 0, time.UTC)

	var events []ledger.Event
	var prev *ledger.Event
	for i, typ := range []string{"forum.created", "document.issued", "meeting.opened"} {
		e := ledger.Event{
			Chain: "wtpf13", At: at.Add(time.Duration(i) * time.Minute), Actor: ledger.SystemActor,
			Type: typ, Visibility: ledger.VisPublic, Payload: json.RawMessage(`{"n": 1.0}`),
		}
		if err := ledger.Seal(prev, &e); err != nil {
			fmt.Println(err)
			return
		}
		events = append(events, e)
		prev = &events[len(events)-1]
	}
	cp, _ := signer.Sign(prev.Head(), at.Add(time.Hour))

	var export bytes.Buffer
	w, _ := ledger.NewWriter(&export, ledger.Header{Chain: "wtpf13", PublicKey: signer.PublicKeyBase64(), KeyID: signer.KeyID()}, nil)
	for _, e := range events {
		w.WriteEvent(e)
	}
	w.WriteCheckpoint(cp)
	w.Flush()

	report, err := ledger.VerifyStream(strings.NewReader(export.String()), signer.Public())
	fmt.Println(err, report.Events, report.Checkpoints, report.Unsigned())

	// Changing one byte of the export is caught at that event.
	tampered := strings.Replace(export.String(), `"meeting.opened"`, `"meeting.closed"`, 1)
	_, err = ledger.VerifyStream(strings.NewReader(tampered), signer.Public())
	fmt.Println(err)
	// Output:
	// <nil> 3 1 0
	// event 3: hash mismatch
}
