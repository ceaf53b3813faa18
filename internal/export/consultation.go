package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"io"
	"os"
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

// ConsultationWriter writes the bulk export of a comment period record by
// record, holding none of them in memory: a period can hold a million
// comments. Each data file is spooled to a temporary file while its
// records are counted and hashed; WriteTo then writes the archive,
// manifest.json first. The same records give the same bytes as
// WriteConsultationZip.
type ConsultationWriter struct {
	forum  string
	period ConsultationPeriod
	files  []*spool // comments, dispositions[, statements, votes]
	err    error
}

// spool is one data file being written: its records, JSON lines, go to a
// temporary file and to its hash.
type spool struct {
	name string
	f    *os.File
	buf  *bufio.Writer
	hash hash.Hash
	enc  *json.Encoder
	n    int
}

// NewConsultationWriter starts an export; withMap adds the opinion map's
// statements.jsonl and votes.jsonl. The caller must call WriteTo or
// Discard, which remove the temporary files.
func NewConsultationWriter(forum string, p ConsultationPeriod, withMap bool) (*ConsultationWriter, error) {
	w := &ConsultationWriter{forum: forum, period: p}
	names := []string{ConsultationComments, ConsultationDispositions}
	if withMap {
		names = append(names, ConsultationStatements, ConsultationVotes)
	}
	for _, name := range names {
		f, err := os.CreateTemp("", "plenary-export-*.jsonl")
		if err != nil {
			w.Discard()
			return nil, err
		}
		sp := &spool{name: name, f: f, buf: bufio.NewWriterSize(f, 64<<10), hash: sha256.New()}
		sp.enc = json.NewEncoder(io.MultiWriter(sp.buf, sp.hash))
		w.files = append(w.files, sp)
	}
	return w, nil
}

func (w *ConsultationWriter) add(i int, v any) error {
	if w.err != nil {
		return w.err
	}
	if i >= len(w.files) {
		w.err = errors.New("export: statements and votes in an export started without the opinion map")
		return w.err
	}
	if err := w.files[i].enc.Encode(v); err != nil {
		w.err = err
		return err
	}
	w.files[i].n++
	return nil
}

// Comment adds a line to comments.jsonl; comments go in the order of
// their numbers.
func (w *ConsultationWriter) Comment(c ConsultationComment) error { return w.add(0, c) }

// Disposition adds a line to dispositions.jsonl, in the comments' order.
func (w *ConsultationWriter) Disposition(d ConsultationDisposition) error { return w.add(1, d) }

// Statement adds a line to statements.jsonl, in the statements' order.
func (w *ConsultationWriter) Statement(s ConsultationStatement) error { return w.add(2, s) }

// Vote adds a line to votes.jsonl, by statement then voter.
func (w *ConsultationWriter) Vote(v ConsultationVote) error { return w.add(3, v) }

// WriteTo writes the archive to out and removes the temporary files.
func (w *ConsultationWriter) WriteTo(out io.Writer) (int64, error) {
	defer w.Discard()
	if w.err != nil {
		return 0, w.err
	}
	m := ConsultationManifestDoc{Format: ConsultationFormat, Forum: w.forum, Period: w.period, Files: []ConsultationFile{}}
	for _, sp := range w.files {
		if err := sp.buf.Flush(); err != nil {
			return 0, err
		}
		m.Files = append(m.Files, ConsultationFile{Name: sp.name, Records: sp.n, SHA256: hex.EncodeToString(sp.hash.Sum(nil))})
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return 0, err
	}
	cw := &countingWriter{w: out}
	zw := zip.NewWriter(cw)
	put := func(name string, r io.Reader) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return err
		}
		_, err = io.Copy(fw, r)
		return err
	}
	if err := put(ConsultationManifest, bytes.NewReader(append(mb, '\n'))); err != nil {
		return cw.n, err
	}
	for _, sp := range w.files {
		if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
			return cw.n, err
		}
		if err := put(sp.name, bufio.NewReaderSize(sp.f, 64<<10)); err != nil {
			return cw.n, err
		}
	}
	err = zw.Close()
	return cw.n, err
}

// Discard removes the temporary files; the export is not written.
func (w *ConsultationWriter) Discard() {
	for _, sp := range w.files {
		sp.f.Close()
		os.Remove(sp.f.Name())
	}
	w.files = nil
	if w.err == nil {
		w.err = errors.New("export: already written or discarded")
	}
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteConsultationZip writes the bulk export of a comment period held in
// memory as a zip archive: manifest.json first, then comments.jsonl,
// dispositions.jsonl and, when the period has an opinion map,
// statements.jsonl and votes.jsonl. The manifest gives each data file's
// record count and SHA-256. The same data gives the same bytes.
func WriteConsultationZip(w io.Writer, c Consultation) error {
	cw, err := NewConsultationWriter(c.Forum, c.Period, c.Statements != nil || c.Votes != nil)
	if err != nil {
		return err
	}
	for _, x := range c.Comments {
		cw.Comment(x)
	}
	for _, x := range c.Dispositions {
		cw.Disposition(x)
	}
	for _, x := range c.Statements {
		cw.Statement(x)
	}
	for _, x := range c.Votes {
		cw.Vote(x)
	}
	_, err = cw.WriteTo(w)
	return err
}
