package participation

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// RegistrationColumns are the columns of a registrations file, in the
// order the import documentation lists them. email and role are required;
// party (a party code) or group says whom the person speaks for; grants,
// for guests, lists action keys separated by spaces or semicolons, or
// "none".
var RegistrationColumns = []string{"email", "party", "group", "role", "mode", "affiliation", "background", "grants"}

// RegistrationRow is one registration to import, with its row in the file.
type RegistrationRow struct {
	Row int
	RegistrationInput
	// Grants is the grants cell as written (guests only).
	Grants string
}

// ParseRegistrationsCSV reads registrations from a CSV file with a header
// row of RegistrationColumns (in any order). Rows are numbered as in a
// spreadsheet: the header is row 1. The values are checked by
// ImportRegistrations.
func ParseRegistrationsCSV(r io.Reader) ([]RegistrationRow, error) {
	header, records, err := readCSV(r)
	if err != nil {
		return nil, err
	}
	bad := &ImportError{}
	col := map[string]int{}
	known := map[string]bool{}
	for _, c := range RegistrationColumns {
		known[c] = true
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !known[h] {
			bad.Rows = append(bad.Rows, RowError{1, h, "is not a known column (known: " + strings.Join(RegistrationColumns, ", ") + ")"})
		}
		col[h] = i
	}
	for _, req := range []string{"email", "role"} {
		if _, ok := col[req]; !ok {
			bad.Rows = append(bad.Rows, RowError{1, req, "the header has no " + req + " column"})
		}
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	out := make([]RegistrationRow, 0, len(records))
	for _, rec := range records {
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec.fields[i])
			}
			return ""
		}
		out = append(out, RegistrationRow{Row: rec.line, Grants: get("grants"), RegistrationInput: RegistrationInput{
			Email: get("email"), Party: get("party"), Group: get("group"), Role: get("role"), Mode: get("mode"),
			Affiliation: get("affiliation"), Background: get("background")}})
	}
	return out, nil
}

// ImportRegistrations registers many people at once, each approved by the
// secretariat, in one transaction: either every row is good and all are
// registered, or nothing is and the error (an *ImportError) lists every
// bad row. Each person must have an account. The forum's secretariat may.
func (s *Service) ImportRegistrations(ctx context.Context, sc *forum.Scope, rows []RegistrationRow) ([]Registration, error) {
	a := sc.Actor
	if err := forum.RequireLogin(a); err != nil {
		return nil, err
	}
	f, err := s.openForum(sc)
	if err != nil {
		return nil, err
	}
	c, err := s.approverCapacity(ctx, sc, "", rules.RoleSecretariat)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, plenary.Invalid("file", "has no registrations")
	}
	bad := &ImportError{}
	regs := make([]Registration, 0, len(rows))
	seen := map[string]int{}
	for _, row := range rows {
		guest := strings.TrimSpace(row.Role) == string(rules.RoleGuest)
		if guest && row.Group == "" {
			row.Group = rules.GroupGuest
		}
		r, err := s.newRegistration(ctx, sc, row.RegistrationInput, guest)
		if err != nil {
			bad.add(row.Row, err)
		}
		if guest {
			set, err := parseGrantsCell(row.Grants)
			if err != nil {
				bad.add(row.Row, err)
			}
			r.grants, r.Grants = set, set.Actions()
		} else if row.Grants != "" {
			bad.Rows = append(bad.Rows, RowError{row.Row, "grants", "only guests are given grants; the rules give everyone else their rights"})
		}
		u, err := s.accounts.UserByEmail(ctx, row.Email)
		if err != nil {
			bad.Rows = append(bad.Rows, RowError{row.Row, "email", "no account with that e-mail address"})
		}
		r.UserID, r.Name, r.email = u.ID, u.Name, u.Email
		key := r.UserID + "\x00" + r.PartyID + "\x00" + string(r.Role)
		if first, dup := seen[key]; dup && r.UserID != "" {
			bad.Rows = append(bad.Rows, RowError{row.Row, "email", fmt.Sprintf("the same registration is in row %d", first)})
		}
		seen[key] = row.Row
		r.State, r.DecidedBy, r.DecidedAs = forum.RegApproved, a.Name, c.Describe()
		regs = append(regs, r)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	err = s.kernel.Command(ctx, sc, "participation.ImportRegistrations", func(tx *store.Tx, sc *forum.Scope) error {
		for i := range regs {
			if err := s.insertRegistration(ctx, tx, a, f, &regs[i]); err != nil {
				if pe := plenary.AsError(err); pe.Code == plenary.CodeConflict {
					bad.Rows = append(bad.Rows, RowError{rows[i].Row, "email", pe.Message})
					continue
				}
				return err
			}
		}
		if err := bad.err(); err != nil {
			return err
		}
		return s.emitParticipantsChanged(ctx, tx, f, a, "joined", regs)
	})
	if err != nil {
		return nil, err
	}
	return regs, nil
}

// parseGrantsCell reads a guest's grants from a file: action keys separated
// by spaces, commas or semicolons, or "none". An empty cell is not a
// choice.
func parseGrantsCell(s string) (rules.ActionSet, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, plenary.Invalid("grants", "say which rights the guest has, or write none")
	}
	if strings.EqualFold(s, "none") {
		return rules.ValidateGrants(nil)
	}
	keys := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ';' || r == ',' })
	return rules.ValidateGrants(keys)
}
