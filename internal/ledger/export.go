package ledger

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// FormatV1 is the format name in the header of an export.
const FormatV1 = "plenary-ledger/v1"

// MaxLineBytes is the longest line a Reader accepts (64 MiB).
const MaxLineBytes = 64 << 20

// Header is the first line of an export.
type Header struct {
	Format string `json:"format"` // FormatV1
	Chain  string `json:"chain"`
	// PublicKey (standard base64) and KeyID identify the key that signs
	// the chain's checkpoints now. Verifiers should check them against the
	// key the forum publishes, not trust them blindly.
	PublicKey string `json:"public_key,omitempty"`
	KeyID     string `json:"key_id,omitempty"`
	// PreviousKeys are earlier keys whose checkpoints the export holds,
	// after a key rotation.
	PreviousKeys []PublicKeyInfo `json:"previous_keys,omitempty"`
	// Filter names the visibility filter applied: "" when every event is in
	// full, "public" when only public events are (the others redacted).
	Filter     string    `json:"filter,omitempty"`
	ExportedAt time.Time `json:"exported_at,omitzero"`
}

// PublicKeyInfo names one public key in a header.
type PublicKeyInfo struct {
	KeyID     string `json:"key_id"`
	PublicKey string `json:"public_key"` // standard base64
}

// check validates a header read from an export.
func (h *Header) check() error {
	if h.Format != FormatV1 {
		return fmt.Errorf("format is %q, want %q", h.Format, FormatV1)
	}
	if err := checkID(h.Chain); err != nil {
		return fmt.Errorf("chain %w", err)
	}
	if h.PublicKey == "" && h.KeyID != "" {
		return errors.New("key_id without public_key")
	}
	all := append([]PublicKeyInfo{{KeyID: h.KeyID, PublicKey: h.PublicKey}}, h.PreviousKeys...)
	if h.PublicKey == "" {
		all = all[1:]
	}
	for _, k := range all {
		pub, err := ParsePublicKey(k.PublicKey)
		if err != nil {
			return err
		}
		if id := KeyID(pub); k.KeyID != id {
			return fmt.Errorf("key_id %q does not match its public key (id %s)", k.KeyID, id)
		}
	}
	return nil
}

// keys returns the header's public keys; check has validated them.
func (h *Header) keys() []ed25519.PublicKey {
	var ks []ed25519.PublicKey
	if h.PublicKey != "" {
		if k, err := ParsePublicKey(h.PublicKey); err == nil {
			ks = append(ks, k)
		}
	}
	for _, pk := range h.PreviousKeys {
		if k, err := ParsePublicKey(pk.PublicKey); err == nil {
			ks = append(ks, k)
		}
	}
	return ks
}

// checkpointLine is the JSON form of a checkpoint line.
type checkpointLine struct {
	Checkpoint Checkpoint `json:"checkpoint"`
}

// Writer writes an export: the header, then events in sequence order from
// 1, each checkpoint right after the event it signs. Events the filter
// does not show are written redacted. Call Flush at the end: it fails
// unless the export ends with a checkpoint of its last event.
type Writer struct {
	bw     *bufio.Writer
	enc    *json.Encoder
	chain  string
	show   func(visibility string) bool
	head   Head
	signed int64 // the last event a checkpoint was written for
}

// NewWriter writes the header h (Format defaults to FormatV1) to w and
// returns a Writer for the events of h.Chain. show decides, by visibility,
// which events are written in full; the others are redacted (see
// Event.Redact). A nil show writes every event in full; ShowPublic makes
// a public export. Set h.Filter to name the filter.
func NewWriter(w io.Writer, h Header, show func(visibility string) bool) (*Writer, error) {
	if h.Format == "" {
		h.Format = FormatV1
	}
	if err := h.check(); err != nil {
		return nil, fmt.Errorf("export header: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		return nil, err
	}
	return &Writer{bw: bw, enc: enc, chain: h.Chain, show: show, head: Head{Chain: h.Chain}}, nil
}

// WriteEvent writes the next event, redacted if the filter says so. It
// must be the event after the last one written.
func (w *Writer) WriteEvent(e Event) error {
	if e.Chain != w.chain {
		return fmt.Errorf("export: event %d is on chain %q, not %q", e.Seq, e.Chain, w.chain)
	}
	if e.Seq != w.head.Seq+1 {
		return fmt.Errorf("export: event %d written after event %d", e.Seq, w.head.Seq)
	}
	if w.show != nil && !w.show(e.Visibility) {
		r, err := e.Redact()
		if err != nil {
			return fmt.Errorf("export: event %d: %w", e.Seq, err)
		}
		e = r
	}
	if err := w.enc.Encode(&e); err != nil {
		return fmt.Errorf("export: event %d: %w", e.Seq, err)
	}
	w.head = e.Head()
	return nil
}

// WriteCheckpoint writes a checkpoint of the last event written.
func (w *Writer) WriteCheckpoint(cp Checkpoint) error {
	if cp.Chain != w.chain || cp.Seq != w.head.Seq || w.head.Seq == 0 {
		return fmt.Errorf("export: checkpoint at %d on chain %q does not sign the last event written (%d)", cp.Seq, cp.Chain, w.head.Seq)
	}
	if err := w.enc.Encode(checkpointLine{cp}); err != nil {
		return fmt.Errorf("export: checkpoint at %d: %w", cp.Seq, err)
	}
	w.signed = cp.Seq
	return nil
}

// Head returns the last event written.
func (w *Writer) Head() Head { return w.head }

// ErrUnsignedEnd is returned, wrapped, by Writer.Flush when the last
// event written has no checkpoint after it.
var ErrUnsignedEnd = errors.New("the export does not end with a checkpoint of its last event")

// Flush writes any buffered data to the underlying writer, and then
// checks that the export is complete: every export ends with a checkpoint
// of its last event (an export of an empty chain has neither), because a
// verifier refuses events that no signature covers. When it does not,
// Flush still writes the data but returns an error wrapping
// ErrUnsignedEnd.
func (w *Writer) Flush() error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if w.head.Seq != w.signed {
		return fmt.Errorf("export: event %d: %w", w.head.Seq, ErrUnsignedEnd)
	}
	return nil
}

// LineError reports a line of an export that cannot be read.
type LineError struct {
	Line int64
	// Checkpoint is set when the line looks like a checkpoint line.
	Checkpoint bool
	Err        error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// Record is one line of an export after the header: an event or a
// checkpoint.
type Record struct {
	Line       int64       // from 1; the header is line 1
	Event      *Event      // set for an event line
	Checkpoint *Checkpoint // set for a checkpoint line
}

// Reader reads an export line by line. It checks the form of each line
// (one JSON object, no unknown or repeated fields, keys spelt exactly)
// but not hashes or signatures: VerifyStream or a Verifier does that.
type Reader struct {
	br     *bufio.Reader
	line   int64
	header Header
	long   []byte
	parser lineParser
	ev     Event
	cp     Checkpoint
}

// NewReader reads and checks the header of the export r. A malformed
// header is a *LineError.
func NewReader(r io.Reader) (*Reader, error) {
	rd := &Reader{br: bufio.NewReaderSize(r, 256<<10)}
	line, err := rd.readLine()
	if err == io.EOF {
		return nil, &LineError{Line: 1, Err: errors.New("empty export: no header")}
	}
	if err != nil {
		return nil, err
	}
	if err := decodeStrict(line, &rd.header); err != nil {
		return nil, &LineError{Line: 1, Err: fmt.Errorf("header: %w", err)}
	}
	if err := rd.header.check(); err != nil {
		return nil, &LineError{Line: 1, Err: fmt.Errorf("header: %w", err)}
	}
	return rd, nil
}

// Header returns the export's header.
func (r *Reader) Header() Header { return r.header }

// Next returns the next record, or io.EOF after the last. A malformed line
// is a *LineError; other errors come from the underlying reader.
func (r *Reader) Next() (Record, error) {
	var rec Record
	if err := r.next(&rec, true); err != nil {
		return Record{}, err
	}
	if rec.Event != nil {
		e := *rec.Event
		rec.Event = &e
	} else {
		cp := *rec.Checkpoint
		rec.Checkpoint = &cp
	}
	return rec, nil
}

var checkpointPrefix = []byte(`{"checkpoint"`)

// next reads the next line into rec. The Event or Checkpoint it points to
// belongs to r and is overwritten by the next call; so is the payload,
// unless copyPayload is set.
func (r *Reader) next(rec *Record, copyPayload bool) error {
	line, err := r.readLine()
	if err != nil {
		return err
	}
	isCP, err := r.parser.parse(line, &r.ev, &r.cp, copyPayload)
	if err != nil {
		return &LineError{Line: r.line, Checkpoint: isCP || bytes.HasPrefix(line, checkpointPrefix), Err: err}
	}
	rec.Line = r.line
	if isCP {
		rec.Event, rec.Checkpoint = nil, &r.cp
	} else {
		rec.Event, rec.Checkpoint = &r.ev, nil
	}
	return nil
}

// readLine returns the next line without its line ending ("\n" or
// "\r\n"). The slice is valid until the next call. Blank lines (nothing
// but spaces and tabs) at the end of the export are ignored, as if the
// export ended before them; a blank line followed by any other line is an
// error.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.rawLine()
	if err != nil || !blank(line) {
		return line, err
	}
	first := r.line
	for {
		line, err := r.rawLine()
		if err != nil {
			return nil, err // io.EOF: only blank lines were left
		}
		if !blank(line) {
			return nil, &LineError{Line: first, Err: errors.New("blank line")}
		}
	}
}

// rawLine returns the next line without its line ending, counting it.
func (r *Reader) rawLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.br.ReadSlice('\n')
			r.long = append(r.long, line...)
			if len(r.long) > MaxLineBytes {
				return nil, &LineError{Line: r.line + 1, Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)}
			}
		}
		line = r.long
	}
	if err == io.EOF {
		if len(line) == 0 {
			return nil, io.EOF
		}
		err = nil // a last line without a newline
	}
	if err != nil {
		return nil, err
	}
	r.line++
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	return line, nil
}

// blank reports whether line holds nothing but spaces and tabs.
func blank(line []byte) bool {
	for _, b := range line {
		if b != ' ' && b != '\t' {
			return false
		}
	}
	return true
}

// decodeStrict decodes one JSON object from line into v, refusing unknown
// fields and anything after the object.
func decodeStrict(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not a valid line: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON object")
	}
	return nil
}
