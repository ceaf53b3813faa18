package files_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/files"
)

// zipOf builds a ZIP container from name/content pairs, in order.
func zipOf(t testing.TB, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entries[i], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(entries[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const docxTypes = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

const docxBody = `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
	`<w:p><w:r><w:t>Considering</w:t></w:r><w:r><w:t xml:space="preserve"> the role of IXPs</w:t></w:r></w:p><w:p><w:r><w:t>Second paragraph</w:t></w:r></w:p></w:body></w:document>`

const odtBody = `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:h>Opinion 5</text:h><text:p>Supporting multi-stakeholderism</text:p></office:text></office:body></office:document-content>`

func TestSniff(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
		want    files.Kind
		ok      bool
	}{
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), files.PDF, true},
		{"docx", zipOf(t, "[Content_Types].xml", docxTypes, "word/document.xml", docxBody), files.DOCX, true},
		{"odt", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", odtBody), files.ODT, true},
		{"text", []byte("Contribution from the United States\n\nThe text.\tTabbed.\r\n"), files.Text, true},
		{"utf-8 text", []byte("São Paulo, Genève, 北京, القاهرة"), files.Text, true},
		{"macro-enabled word", zipOf(t, "[Content_Types].xml", strings.Replace(docxTypes, "officedocument.wordprocessingml.document.main", "ms-word.document.macroEnabled.main", 1), "word/document.xml", docxBody), files.Kind{}, false},
		{"docx without document part", zipOf(t, "[Content_Types].xml", docxTypes), files.Kind{}, false},
		{"odt spreadsheet", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet"), files.Kind{}, false},
		{"plain zip", zipOf(t, "a.txt", "hello"), files.Kind{}, false},
		{"truncated zip", []byte("PK\x03\x04garbage"), files.Kind{}, false},
		{"html", nil, files.Kind{}, false},
		{"binary", []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, files.Kind{}, false},
		{"invalid utf-8", []byte("caf\xe9 au lait"), files.Kind{}, false},
		{"NUL", []byte("text\x00more"), files.Kind{}, false},
		{"empty", []byte{}, files.Kind{}, false},
		{"png", []byte("\x89PNG\r\n\x1a\n"), files.Kind{}, false},
	}
	for _, tt := range tests {
		if tt.name == "html" {
			// HTML is text, and is accepted as plain text: it is served
			// as text/plain with nosniff, never as a page.
			tt.content, tt.want, tt.ok = []byte("<html><script>alert(1)</script></html>"), files.Text, true
		}
		t.Run(tt.name, func(t *testing.T) {
			got, err := files.Sniff(bytes.NewReader(tt.content), int64(len(tt.content)))
			if tt.ok != (err == nil) || got != tt.want {
				t.Fatalf("Sniff = %v, %v; want %v (ok %v)", got, err, tt.want, tt.ok)
			}
			if !tt.ok && !errors.Is(err, files.ErrUnsupported) {
				t.Fatalf("error %v is not ErrUnsupported", err)
			}
		})
	}
}

func TestSniffLongTextAcrossChunks(t *testing.T) {
	// Multi-byte runes straddle the 64 KiB read boundary.
	s := strings.Repeat("é", 100000)
	if k, err := files.Sniff(strings.NewReader(s), int64(len(s))); err != nil || k != files.Text {
		t.Fatalf("got %v, %v", k, err)
	}
	bad := s + "\xff"
	if _, err := files.Sniff(strings.NewReader(bad), int64(len(bad))); err == nil {
		t.Fatal("invalid byte at the end accepted")
	}
	cut := s[:len(s)-1]
	if _, err := files.Sniff(strings.NewReader(cut), int64(len(cut))); err == nil {
		t.Fatal("text ending in half a rune accepted")
	}
}

func TestExtract(t *testing.T) {
	docx := zipOf(t, "[Content_Types].xml", docxTypes, "word/document.xml", docxBody)
	if got := files.Extract(bytes.NewReader(docx), int64(len(docx)), files.DOCX, 1000); got != "Considering the role of IXPs\nSecond paragraph" {
		t.Errorf("docx: %q", got)
	}
	odt := zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", odtBody)
	if got := files.Extract(bytes.NewReader(odt), int64(len(odt)), files.ODT, 1000); got != "Opinion 5\nSupporting multi-stakeholderism" {
		t.Errorf("odt: %q", got)
	}
	txt := "\ufeffHello"
	if got := files.Extract(strings.NewReader(txt), int64(len(txt)), files.Text, 1000); got != "Hello" {
		t.Errorf("text: %q", got)
	}
	if got := files.Extract(strings.NewReader("%PDF-1.4"), 8, files.PDF, 1000); got != "" {
		t.Errorf("pdf: %q", got)
	}
	if got := files.Extract(bytes.NewReader(docx), int64(len(docx)), files.DOCX, 5); len(got) > 5 {
		t.Errorf("limit not kept: %q", got)
	}
}

func TestSpool(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	u, err := files.Spool(ctx, strings.NewReader("hello"), 5, dir)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("hello"))
	if u.Size != 5 || u.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("got %d %s", u.Size, u.SHA256)
	}
	b, _ := io.ReadAll(u.Reader())
	if string(b) != "hello" {
		t.Fatalf("read back %q", b)
	}
	if err := u.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := files.Spool(ctx, strings.NewReader("hello!"), 5, dir); !errors.Is(err, files.ErrTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func TestDisk(t *testing.T) {
	ctx := context.Background()
	d := files.NewDisk(t.TempDir())
	obj, err := d.Put(ctx, strings.NewReader("content"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := d.Put(ctx, strings.NewReader("content"))
	if err != nil || again != obj {
		t.Fatalf("second put: %v %v", again, err)
	}
	st, err := d.Stat(ctx, obj.SHA256)
	if err != nil || st.Size != 7 {
		t.Fatalf("stat: %v %v", st, err)
	}
	rc, err := d.Open(ctx, obj.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "content" {
		t.Fatalf("read %q", b)
	}
	if _, err := d.Open(ctx, strings.Repeat("0", 64)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing object: %v", err)
	}
	for _, bad := range []string{"../../etc/passwd", "", strings.Repeat("A", 64), obj.SHA256[:63]} {
		if _, err := d.Open(ctx, bad); !errors.Is(err, files.ErrBadHash) {
			t.Errorf("Open(%q): %v", bad, err)
		}
	}
	// One object on disk, nothing left in tmp.
	var n int
	filepath.WalkDir(d.Root(), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			n++
		}
		return nil
	})
	if n != 1 {
		t.Fatalf("%d files under the root, want 1", n)
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct {
		in   string
		kind files.Kind
		want string
	}{
		{"report.pdf", files.PDF, "report.pdf"},
		{"Report.PDF", files.PDF, "Report.pdf"},
		{`C:\Users\x\contribution.docx`, files.DOCX, "contribution.docx"},
		{"../../etc/passwd", files.Text, "passwd.txt"},
		{"evil.html", files.Text, "evil.html.txt"},
		{"a\"b\r\nc.odt", files.ODT, "abc.odt"},
		{"", files.PDF, "document.pdf"},
		{"...", files.PDF, "document.pdf"},
		{strings.Repeat("x", 300) + ".pdf", files.PDF, strings.Repeat("x", 110) + ".pdf"},
	}
	for _, tt := range tests {
		if got := files.CleanName(tt.in, tt.kind); got != tt.want {
			t.Errorf("CleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
