package participation

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/plenary-forum/plenary/internal/forum"
)

// Which Member States to take from the ITU member-state list.
const (
	MembershipToday = "today"     // the Member States of today (194)
	Membership2012  = "2012-2013" // the Member States of 2012-13 (193: before Palau joined)
	MembershipAll   = "all"       // every row of the file
)

// PartyColumns are the columns of the plain parties file format, in the
// order the import documentation lists them. group is required, and code
// and name, or country: a Member State needs only its country (its ISO
// code or name), from which it gets its code and official name.
var PartyColumns = []string{"code", "name", "group", "country", "kind", "iso2", "iso3", "itu_code", "region", "member_2012", "member_now"}

// ParsePartiesCSV reads parties from a CSV file with a header row, in one of
// two formats:
//
//   - the ITU member-state list (columns iso_alpha2, iso_alpha3, itu_code,
//     m49_region, itu_member_2012_2013, itu_member_2025, ...),
//     each row a Member State whose code is its ISO alpha-3 code, filtered by
//     membership (MembershipToday when empty); its name is its official
//     name (the file's short names, "US" or "Russia", are not);
//   - the plain format, with the columns of PartyColumns in any order.
//
// Rows are numbered as in a spreadsheet: the header is row 1. It returns an
// *ImportError for a file it cannot read; the values themselves are checked
// by ImportParties.
func ParsePartiesCSV(r io.Reader, membership string) ([]PartyRow, error) {
	header, records, err := readCSV(r)
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	if _, ok := col["iso_alpha3"]; ok {
		return memberStateRows(col, records, membership)
	}
	bad := &ImportError{}
	known := map[string]bool{}
	for _, c := range PartyColumns {
		known[c] = true
	}
	for _, h := range header {
		if h = strings.ToLower(strings.TrimSpace(h)); !known[h] {
			bad.Rows = append(bad.Rows, RowError{1, h, "is not a known column (known: " + strings.Join(PartyColumns, ", ") + ")"})
		}
	}
	if _, ok := col["group"]; !ok {
		bad.Rows = append(bad.Rows, RowError{1, "group", "the header has no group column"})
	}
	if _, ok := col["country"]; !ok {
		for _, req := range []string{"code", "name"} {
			if _, ok := col[req]; !ok {
				bad.Rows = append(bad.Rows, RowError{1, req, "the header has no " + req + " column (nor a country column, for Member States)"})
			}
		}
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	var out []PartyRow
	for _, rec := range records {
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec.fields) {
				return strings.TrimSpace(rec.fields[i])
			}
			return ""
		}
		row := PartyRow{Row: rec.line, PartyInput: PartyInput{Code: get("code"), Name: get("name"), Group: get("group"), Kind: get("kind"),
			Country: get("country"), ISO2: get("iso2"), ISO3: get("iso3"), ITUCode: get("itu_code"), Region: get("region")}}
		for _, b := range []struct {
			name string
			to   *bool
		}{{"member_2012", &row.Member2012}, {"member_now", &row.MemberNow}} {
			v, ok := yesNo(get(b.name))
			if !ok {
				bad.Rows = append(bad.Rows, RowError{rec.line, b.name, "must be yes or no"})
			}
			*b.to = v
		}
		out = append(out, row)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func memberStateRows(col map[string]int, records []csvRecord, membership string) ([]PartyRow, error) {
	bad := &ImportError{}
	for _, req := range []string{"iso_alpha2", "iso_alpha3", "itu_code", "m49_region", "itu_member_2012_2013", "itu_member_2025"} {
		if _, ok := col[req]; !ok {
			bad.Rows = append(bad.Rows, RowError{1, req, "the member-state list has no " + req + " column"})
		}
	}
	switch membership {
	case "":
		membership = MembershipToday
	case MembershipToday, Membership2012, MembershipAll:
	default:
		bad.Rows = append(bad.Rows, RowError{0, "membership", fmt.Sprintf("must be %s, %s or %s", MembershipToday, Membership2012, MembershipAll)})
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	var out []PartyRow
	for _, rec := range records {
		get := func(name string) string {
			if i := col[name]; i < len(rec.fields) {
				return strings.TrimSpace(rec.fields[i])
			}
			return ""
		}
		m2012, ok1 := yesNo(get("itu_member_2012_2013"))
		now, ok2 := yesNo(get("itu_member_2025"))
		if !ok1 {
			bad.Rows = append(bad.Rows, RowError{rec.line, "itu_member_2012_2013", "must be yes or no"})
		}
		if !ok2 {
			bad.Rows = append(bad.Rows, RowError{rec.line, "itu_member_2025", "must be yes or no"})
		}
		if (membership == Membership2012 && !m2012) || (membership == MembershipToday && !now) {
			continue
		}
		out = append(out, PartyRow{Row: rec.line, PartyInput: PartyInput{
			Code: get("iso_alpha3"), Kind: KindMemberState, Group: "member_state",
			ISO2: get("iso_alpha2"), ISO3: get("iso_alpha3"), ITUCode: get("itu_code"), Region: get("m49_region"),
			Member2012: m2012, MemberNow: now}})
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return out, nil
}

type csvRecord struct {
	line   int
	fields []string
}

// readCSV reads a whole CSV file: the header, then every record with the
// line it starts on. A malformed line is reported with its number.
func readCSV(r io.Reader) ([]string, []csvRecord, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, &ImportError{Rows: []RowError{{1, "file", "is empty: a header row is required"}}}
	}
	if err != nil {
		return nil, nil, &ImportError{Rows: []RowError{{1, "file", csvProblem(err)}}}
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	bad := &ImportError{}
	for i, h := range header {
		if !utf8.ValidString(h) {
			bad.Rows = append(bad.Rows, RowError{1, "file", fmt.Sprintf("the name of column %d %s", i+1, forum.MsgNotUTF8)})
		}
	}
	if err := bad.err(); err != nil {
		return nil, nil, err
	}
	var out []csvRecord
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			bad.Rows = append(bad.Rows, RowError{line, "file", csvProblem(err)})
			if len(bad.Rows) > 50 {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue
		}
		if len(fields) != len(header) {
			bad.Rows = append(bad.Rows, RowError{line, "file", fmt.Sprintf("has %d fields, the header %d", len(fields), len(header))})
			continue
		}
		// A file in another encoding (Latin-1, Windows-1252) is refused
		// cell by cell, never stored as sent: save it as UTF-8.
		for i, v := range fields {
			if !utf8.ValidString(v) {
				bad.Rows = append(bad.Rows, RowError{line, strings.ToLower(strings.TrimSpace(header[i])), forum.MsgNotUTF8 + "; save the file as UTF-8"})
			}
		}
		out = append(out, csvRecord{line, fields})
	}
	if err := bad.err(); err != nil {
		return nil, nil, err
	}
	return header, out, nil
}

func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "is not valid CSV: " + pe.Err.Error()
	}
	return "could not be read"
}

func yesNo(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "1":
		return true, true
	case "no", "n", "false", "0", "":
		return false, true
	}
	return false, false
}
