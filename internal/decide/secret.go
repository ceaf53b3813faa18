package decide

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strings"

	"github.com/plenary-forum/plenary"
)

// NonceBytes is the length of a secret ballot's nonce: 128 bits.
const NonceBytes = 16

// Ballot is one entry of a secret ballot's published ballot list: the
// receipt and the choice, nothing else. It holds no voter, no time and no
// position that could link it to the voters' list; the list is kept and
// published in receipt order ([SortBallots]).
type Ballot struct {
	Receipt string `json:"receipt"` // hex SHA-256, see [ReceiptOf]
	Choice  Choice `json:"choice"`
}

// Receipt is what the voter keeps: with the nonce, it can recompute the
// receipt and find its ballot in the published list. The server does not
// keep the nonce.
type Receipt struct {
	Vote    string `json:"vote"`
	Choice  Choice `json:"choice"`
	Nonce   string `json:"nonce"`   // hex, 128 bits
	Receipt string `json:"receipt"` // hex SHA-256
}

// ReceiptOf is the receipt of a ballot: the hex SHA-256 of the vote's id,
// a zero byte, the choice, a zero byte, and the nonce's bytes.
func ReceiptOf(voteID string, choice Choice, nonce []byte) string {
	h := sha256.New()
	h.Write([]byte(voteID))
	h.Write([]byte{0})
	h.Write([]byte(choice))
	h.Write([]byte{0})
	h.Write(nonce)
	return hex.EncodeToString(h.Sum(nil))
}

// NewBallot makes a secret ballot for choice: a 128-bit nonce read from
// rand (crypto/rand.Reader in production; a seeded reader in tests), the
// ballot for the list and the receipt for the voter.
func NewBallot(rand io.Reader, voteID string, choice Choice) (Ballot, Receipt, error) {
	if err := need("vote", voteID, "a ballot names its vote"); err != nil {
		return Ballot{}, Receipt{}, err
	}
	if !choice.castable() {
		return Ballot{}, Receipt{}, plenary.Invalid("choice", "a ballot is yes, no or abstain, not %q", choice)
	}
	nonce := make([]byte, NonceBytes)
	if _, err := io.ReadFull(rand, nonce); err != nil {
		return Ballot{}, Receipt{}, plenary.Internal(err)
	}
	r := ReceiptOf(voteID, choice, nonce)
	return Ballot{Receipt: r, Choice: choice},
		Receipt{Vote: voteID, Choice: choice, Nonce: hex.EncodeToString(nonce), Receipt: r}, nil
}

// SortBallots puts a ballot list in receipt order, the only order it is
// kept and published in.
func SortBallots(list []Ballot) {
	slices.SortFunc(list, func(a, b Ballot) int { return strings.Compare(a.Receipt, b.Receipt) })
}

// CheckBallots checks a ballot list as published: in receipt order, each
// receipt 64 hex digits and once only, each choice yes, no or abstain.
func CheckBallots(list []Ballot) error {
	for i, b := range list {
		if len(b.Receipt) != 2*sha256.Size || strings.Trim(b.Receipt, "0123456789abcdef") != "" {
			return plenary.Invalid("ballots", "ballot %d: a receipt is 64 lower-case hex digits", i+1)
		}
		if !b.Choice.castable() {
			return plenary.Invalid("ballots", "ballot %d: a ballot is yes, no or abstain, not %q", i+1, b.Choice)
		}
		if i > 0 {
			switch strings.Compare(list[i-1].Receipt, b.Receipt) {
			case 0:
				return plenary.Invalid("ballots", "ballot %d: receipt %s is in the list twice", i+1, b.Receipt)
			case 1:
				return plenary.Invalid("ballots", "ballot %d: the ballot list is kept in receipt order", i+1)
			}
		}
	}
	return nil
}

// VerifyReceipt reports whether the ballot the voter cast (its vote, choice
// and nonce in hex, from its [Receipt]) is in the published list, with that
// choice. The list is in receipt order.
func VerifyReceipt(list []Ballot, voteID string, choice Choice, nonce string) bool {
	n, err := hex.DecodeString(nonce)
	if err != nil || len(n) != NonceBytes {
		return false
	}
	r := ReceiptOf(voteID, choice, n)
	i, ok := slices.BinarySearchFunc(list, r, func(b Ballot, r string) int { return strings.Compare(b.Receipt, r) })
	return ok && list[i].Choice == choice
}

// TallyBallots counts the choices of a ballot list. Anyone holding the
// published list can recompute it.
func TallyBallots(list []Ballot) Tally {
	var t Tally
	for _, b := range list {
		if b.Choice.castable() {
			t.Add(b.Choice)
		}
	}
	return t
}

// BallotListHash is the hex SHA-256 of the list as published: one line
// "<receipt> <choice>\n" per ballot, in the list's order (receipt order).
// It goes on the record when the vote closes.
func BallotListHash(list []Ballot) string {
	h := sha256.New()
	buf := make([]byte, 0, 2*sha256.Size+len(NotParticipating)+2)
	for _, b := range list {
		buf = append(buf[:0], b.Receipt...)
		buf = append(buf, ' ')
		buf = append(buf, b.Choice...)
		buf = append(buf, '\n')
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// BallotBox holds a secret ballot's ballots while the vote is open, in
// receipt order: no order of casting is kept.
type BallotBox struct {
	list []Ballot
}

// Add puts a ballot in the box, in its place by receipt. A receipt already
// in the box is refused.
func (b *BallotBox) Add(x Ballot) error {
	if err := CheckBallots([]Ballot{x}); err != nil {
		return err
	}
	i, found := slices.BinarySearchFunc(b.list, x.Receipt, func(y Ballot, r string) int { return strings.Compare(y.Receipt, r) })
	if found {
		return plenary.Conflict("this ballot is already in the box")
	}
	b.list = slices.Insert(b.list, i, x)
	return nil
}

// Len is the number of ballots in the box.
func (b *BallotBox) Len() int { return len(b.list) }

// List is the ballot list, in receipt order.
func (b *BallotBox) List() []Ballot { return slices.Clone(b.list) }
