package export

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"time"
)

// ConsultationFormat names the bulk export of a comment period, for
// readers to check (docs/OPEN_DATA.md, "Consultations").
const ConsultationFormat = "plenary-consultation/1"

// The files of a consultation export, in the order they are written.
// The opinion map's statements and votes are files of the same kind,
// listed in the manifest when the period has an opinion map.
const (
	ConsultationManifest     = "manifest.json"
	ConsultationComments     = "comments.jsonl"
	ConsultationDispositions = "dispositions.jsonl"
	ConsultationStatements   = "statements.jsonl"
	ConsultationVotes        = "votes.jsonl"
)

// Consultation is what the bulk export of one comment period holds: the
// data only, as the reader may see it (the consultation aggregate fills
// it; a hidden comment reaches the public without its text).
type Consultation struct {
	Forum  string             `json:"forum"` // the forum's slug
	Period ConsultationPeriod `json:"period"`
	// Comments in the order of their numbers; Dispositions the current
	// disposition of each answered comment, in the same order.
	Comments     []ConsultationComment     `json:"-"`
	Dispositions []ConsultationDisposition `json:"-"`
	// Statements and Votes are the opinion map's, in the order of the
	// statements' numbers (votes: then of the voters' numbers); both nil
	// when the period has no opinion map: then statements.jsonl and
	// votes.jsonl are not written.
	Statements []ConsultationStatement `json:"-"`
	Votes      []ConsultationVote      `json:"-"`
}

// ConsultationPeriod describes the period in the manifest.
type ConsultationPeriod struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Document string    `json:"document"`
	Draft    string    `json:"draft,omitempty"`
	Revision int       `json:"revision,omitempty"`
	Public   bool      `json:"public"`
	OpensAt  time.Time `json:"opens_at"`
	ClosesAt time.Time `json:"closes_at"`
}

// ConsultationComment is one line of comments.jsonl.
type ConsultationComment struct {
	Comment      string    `json:"comment"` // C-12
	Number       int       `json:"number"`
	ID           string    `json:"id"`
	CreatedAt    time.Time `json:"created_at"`
	Author       string    `json:"author"`
	Group        string    `json:"group"`
	Organisation string    `json:"organisation"`
	Target       string    `json:"target"`
	Provision    string    `json:"provision"`
	Start        int       `json:"start"`
	End          int       `json:"end"`
	Quote        string    `json:"quote"`
	Proposed     string    `json:"proposed"`
	Text         string    `json:"text"`
	Hidden       bool      `json:"hidden"`
	HiddenReason string    `json:"hidden_reason"`
	Campaign     string    `json:"campaign"` // C-<first> of its campaign of near-identical comments, "" if none
}

// ConsultationDisposition is one line of dispositions.jsonl.
type ConsultationDisposition struct {
	Comment   string    `json:"comment"`
	Version   int       `json:"version"`
	Outcome   string    `json:"outcome"`
	Reason    string    `json:"reason"`
	Amendment string    `json:"amendment"`
	Revision  int       `json:"revision"`
	Provision string    `json:"provision"`
	Campaign  string    `json:"campaign"` // the campaign answered as a whole, C-<first>
	DecidedAt time.Time `json:"decided_at"`
}

// ConsultationStatement is one line of statements.jsonl: a statement of
// the opinion map, with its counts.
type ConsultationStatement struct {
	Statement string    `json:"statement"` // S-3
	Number    int       `json:"number"`
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	Source    string    `json:"source"`    // provision, participant or imported
	Provision string    `json:"provision"` // the provision it was made of, "" if none
	Author    string    `json:"author"`    // a participant's name, "" otherwise
	Group     string    `json:"group"`     // the participant's declared group
	Text      string    `json:"text"`
	State     string    `json:"state"` // pending, accepted or rejected
	Reason    string    `json:"reason"`
	Agrees    int       `json:"agrees"`
	Disagrees int       `json:"disagrees"`
	Passes    int       `json:"passes"`
}

// ConsultationVote is one line of votes.jsonl: a voter's vote on a
// statement of the opinion map (agree 1, disagree -1, pass 0). The voter
// is known by their number in the period, never by account.
type ConsultationVote struct {
	Statement string    `json:"statement"` // S-3
	Voter     int       `json:"voter"`
	Group     string    `json:"group"` // the voter's declared stakeholder group, "" if none
	Vote      int       `json:"vote"`
	At        time.Time `json:"at"`
}

// ConsultationFile is a file of the export as the manifest lists it.
type ConsultationFile struct {
	Name    string `json:"name"`
	Records int    `json:"records"`
	SHA256  string `json:"sha256"`
}

// ConsultationManifestDoc is manifest.json.
type ConsultationManifestDoc struct {
	Format string             `json:"format"`
	Forum  string             `json:"forum"`
	Period ConsultationPeriod `json:"period"`
	Files  []ConsultationFile `json:"files"`
}

// zipTime is the modification time of every file in the archive, so
// that the same data gives the same bytes.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// jsonLines writes one JSON object per line, UTF-8, LF line ends.
func jsonLines[T any](rows []T) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// WriteConsultationZip writes the bulk export of a comment period as a
// zip archive: manifest.json first, then comments.jsonl,
// dispositions.jsonl and, when the period has an opinion map,
// statements.jsonl and votes.jsonl. The manifest
// gives each data file's record count and SHA-256. The same data gives
// the same bytes.
func WriteConsultationZip(w io.Writer, c Consultation) error {
	type file struct {
		name string
		n    int
		body []byte
	}
	var files []file
	add := func(name string, n int, body []byte, err error) error {
		if err != nil {
			return err
		}
		files = append(files, file{name, n, body})
		return nil
	}
	b, err := jsonLines(c.Comments)
	if err := add(ConsultationComments, len(c.Comments), b, err); err != nil {
		return err
	}
	b, err = jsonLines(c.Dispositions)
	if err := add(ConsultationDispositions, len(c.Dispositions), b, err); err != nil {
		return err
	}
	if c.Statements != nil || c.Votes != nil {
		b, err = jsonLines(c.Statements)
		if err := add(ConsultationStatements, len(c.Statements), b, err); err != nil {
			return err
		}
		b, err = jsonLines(c.Votes)
		if err := add(ConsultationVotes, len(c.Votes), b, err); err != nil {
			return err
		}
	}
	m := ConsultationManifestDoc{Format: ConsultationFormat, Forum: c.Forum, Period: c.Period, Files: []ConsultationFile{}}
	for _, f := range files {
		sum := sha256.Sum256(f.body)
		m.Files = append(m.Files, ConsultationFile{Name: f.name, Records: f.n, SHA256: hex.EncodeToString(sum[:])})
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	files = append([]file{{ConsultationManifest, 0, append(mb, '\n')}}, files...)
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.body); err != nil {
			return err
		}
	}
	return zw.Close()
}
