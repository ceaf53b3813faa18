package files

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// Kind is an accepted type of file.
type Kind struct {
	ContentType string // the media type sent on download
	Ext         string // the file name extension, with its dot
	Label       string // for people: "PDF", "Word (DOCX)"
}

// The accepted kinds.
var (
	PDF  = Kind{"application/pdf", ".pdf", "PDF"}
	DOCX = Kind{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word (DOCX)"}
	ODT  = Kind{"application/vnd.oasis.opendocument.text", ".odt", "OpenDocument text (ODT)"}
	Text = Kind{"text/plain; charset=utf-8", ".txt", "Plain text"}
)

// Kinds lists the accepted kinds.
var Kinds = []Kind{PDF, DOCX, ODT, Text}

// KindOf returns the kind with the given content type.
func KindOf(contentType string) (Kind, bool) {
	for _, k := range Kinds {
		if k.ContentType == contentType {
			return k, true
		}
	}
	return Kind{}, false
}

// ErrUnsupported is returned by Sniff for content that is none of the
// accepted kinds.
var ErrUnsupported = errors.New("files: not a PDF, DOCX, ODT or UTF-8 text file")

// Limits on what Sniff and Extract decompress from a ZIP container, so
// that a small upload cannot expand into gigabytes.
const (
	maxManifest = 1 << 20  // [Content_Types].xml, mimetype
	maxXML      = 32 << 20 // word/document.xml, content.xml
)

// Sniff decides the kind of content from its bytes: "%PDF-" at the start
// for PDF; a ZIP container with the OpenDocument text mimetype entry for
// ODT, or with the WordprocessingML main part declared in
// [Content_Types].xml for DOCX (macro-enabled documents are refused); and
// otherwise valid UTF-8 without NUL or other control characters (tab,
// line feed, carriage return and form feed allowed) for plain text.
func Sniff(ra io.ReaderAt, size int64) (Kind, error) {
	if size == 0 {
		return Kind{}, ErrUnsupported
	}
	head := make([]byte, 8)
	n, _ := ra.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(ra, size)
	}
	if isText(io.NewSectionReader(ra, 0, size)) {
		return Text, nil
	}
	return Kind{}, ErrUnsupported
}

func sniffZip(ra io.ReaderAt, size int64) (Kind, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return Kind{}, ErrUnsupported
	}
	if b, ok := readEntry(zr, "mimetype", maxManifest); ok {
		if strings.TrimSpace(string(b)) == "application/vnd.oasis.opendocument.text" {
			return ODT, nil
		}
		return Kind{}, ErrUnsupported
	}
	if b, ok := readEntry(zr, "[Content_Types].xml", maxManifest); ok {
		if bytes.Contains(b, []byte("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")) {
			if _, ok := entry(zr, "word/document.xml"); ok {
				return DOCX, nil
			}
		}
	}
	return Kind{}, ErrUnsupported
}

func entry(zr *zip.Reader, name string) (*zip.File, bool) {
	for _, f := range zr.File {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}

// readEntry reads one entry of a ZIP container, at most max bytes; an
// entry that is larger, missing or unreadable gives ok false.
func readEntry(zr *zip.Reader, name string, max int64) ([]byte, bool) {
	f, ok := entry(zr, name)
	if !ok {
		return nil, false
	}
	rc, err := f.Open()
	if err != nil {
		return nil, false
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil || int64(len(b)) > max {
		return nil, false
	}
	return b, true
}

// isText reports whether r is valid UTF-8 without control characters other
// than tab, line feed, carriage return and form feed.
func isText(r io.Reader) bool {
	buf := make([]byte, 64<<10)
	var carry []byte
	for {
		n, err := r.Read(buf[len(carry):])
		chunk := buf[:len(carry)+n]
		// Keep an incomplete rune at the end for the next round.
		cut := len(chunk)
		if err == nil {
			for i := 1; i <= utf8.UTFMax && i <= len(chunk); i++ {
				if utf8.RuneStart(chunk[len(chunk)-i]) {
					if !utf8.FullRune(chunk[len(chunk)-i:]) {
						cut = len(chunk) - i
					}
					break
				}
			}
		}
		if !textChunk(chunk[:cut]) {
			return false
		}
		carry = append(carry[:0], chunk[cut:]...)
		copy(buf, carry)
		if err == io.EOF {
			return len(carry) == 0
		}
		if err != nil {
			return false
		}
	}
}

func textChunk(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
			return false
		}
	}
	return true
}

// Extract returns the text of content of kind k, for the search index: the
// whole of a plain-text file, the paragraphs of a DOCX or ODT document, at
// most max bytes. PDF text is not extracted ("" is returned).
func Extract(ra io.ReaderAt, size int64, k Kind, max int) string {
	var s string
	switch k {
	case Text:
		b := make([]byte, min(size, int64(max)))
		n, _ := ra.ReadAt(b, 0)
		s = strings.ToValidUTF8(string(b[:n]), "")
		s = strings.TrimPrefix(s, "\ufeff")
	case DOCX:
		s = xmlText(ra, size, "word/document.xml", "p", max)
	case ODT:
		s = xmlText(ra, size, "content.xml", "p h", max)
	}
	return s
}

// xmlText collects the character data of a ZIP entry's XML, with a line
// break after each element whose local name is in breaks.
func xmlText(ra io.ReaderAt, size int64, name, breaks string, max int) string {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return ""
	}
	f, ok := entry(zr, name)
	if !ok {
		return ""
	}
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxXML))
	dec.Strict = false
	brk := strings.Fields(breaks)
	var b strings.Builder
	for b.Len() < max {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			for _, e := range brk {
				if t.Name.Local == e {
					b.WriteByte('\n')
				}
			}
		}
	}
	s := b.String()
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "")
	}
	return strings.TrimSpace(s)
}
