package consultation

import (
	"encoding/csv"
	"encoding/json"
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
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		rev := ""
		if r.LinkRevision != 0 {
			rev = strconv.Itoa(r.LinkRevision)
		}
		if err := cw.Write([]string{r.Comment, r.Period, r.Commenter, r.Group, r.Organisation, r.Target, r.Provision, r.Quote,
			r.Proposed, r.Text, strconv.FormatBool(r.Hidden), r.Outcome, r.Reason, r.Amendment, rev, r.LinkProv, r.Campaign,
			r.DecidedAt}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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
	if rows == nil {
		rows = []Row{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(TableDocument{Format: TableFormat, Forum: forumSlug, Draft: draftID, Revision: revision, Rows: rows})
}
