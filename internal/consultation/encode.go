package consultation

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
)

// The disposition table as open data, in the format docs/CONSULTATION.md
// describes: CSV with a header row, and JSON with snake_case keys. Both
// are pure functions of the rows.

// CSVHeader is the header row of WriteCSV, in column order.
var CSVHeader = []string{"comment", "period", "commenter", "group", "organisation", "target", "provision", "quote", "proposed",
	"text", "hidden", "outcome", "reason", "amendment", "link_revision", "link_provision", "campaign", "decided_at"}

// WriteCSV writes the rows as CSV (RFC 4180) under CSVHeader.
func WriteCSV(w io.Writer, rows []Row) error { return WriteCSVFrom(w, each(rows)) }

// WriteCSVFrom is WriteCSV of the rows that rows gives, one at a time.
func WriteCSVFrom(w io.Writer, rows func(func(Row) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	err := rows(func(r Row) error {
		rev := ""
		if r.LinkRevision != 0 {
			rev = strconv.Itoa(r.LinkRevision)
		}
		return cw.Write([]string{r.Comment, r.Period, r.Commenter, r.Group, r.Organisation, r.Target, r.Provision, r.Quote,
			r.Proposed, r.Text, strconv.FormatBool(r.Hidden), r.Outcome, r.Reason, r.Amendment, rev, r.LinkProv, r.Campaign,
			r.DecidedAt})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// each gives the rows of a slice.
func each(rows []Row) func(func(Row) error) error {
	return func(fn func(Row) error) error {
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// TableDocument is the JSON form of a disposition table.
type TableDocument struct {
	Format   string `json:"format"` // "plenary-dispositions/1"
	Forum    string `json:"forum"`
	Draft    string `json:"draft"`
	Revision int    `json:"revision"`
	Rows     []Row  `json:"rows"`
}

// TableFormat names the JSON format, for readers to check.
const TableFormat = "plenary-dispositions/1"

// WriteJSON writes the table as one JSON document, indented.
func WriteJSON(w io.Writer, forumSlug, draftID string, revision int, rows []Row) error {
	return WriteJSONFrom(w, forumSlug, draftID, revision, each(rows))
}

// WriteJSONFrom is WriteJSON of the rows that rows gives, one at a time:
// the same bytes as encoding the whole TableDocument with two spaces of
// indentation, without holding it.
func WriteJSONFrom(w io.Writer, forumSlug, draftID string, revision int, rows func(func(Row) error) error) error {
	head, err := json.MarshalIndent(TableDocument{Format: TableFormat, Forum: forumSlug, Draft: draftID, Revision: revision, Rows: []Row{}}, "", "  ")
	if err != nil {
		return err
	}
	// head ends with `"rows": []` then a line with the closing brace.
	open, ok := bytes.CutSuffix(head, []byte("[]\n}"))
	if !ok {
		return errors.New("consultation: unexpected table header")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(open)
	n := 0
	err = rows(func(r Row) error {
		b, err := json.MarshalIndent(r, "    ", "  ")
		if err != nil {
			return err
		}
		if n == 0 {
			bw.WriteString("[\n    ")
		} else {
			bw.WriteString(",\n    ")
		}
		n++
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		bw.WriteString("[]\n}\n")
	} else {
		bw.WriteString("\n  ]\n}\n")
	}
	return bw.Flush()
}
