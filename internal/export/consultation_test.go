package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/export"
)

func TestConsultationZipIsDeterministicAndListsItsFiles(t *testing.T) {
	at := time.Date(2014, 4, 5, 12, 0, 0, 0, time.UTC)
	c := export.Consultation{Forum: "netmundial-2014", Period: export.ConsultationPeriod{ID: "p1", Title: "Comments", OpensAt: at, ClosesAt: at.Add(time.Hour)},
		Comments: []export.ConsultationComment{{Comment: "C-1", Number: 1, ID: "c1", CreatedAt: at, Group: "academia", Target: "whole", Text: "A comment."},
			{Comment: "C-2", Number: 2, ID: "c2", CreatedAt: at, Group: "igo", Target: "whole", Hidden: true, HiddenReason: "Abusive."}},
		Dispositions: []export.ConsultationDisposition{{Comment: "C-1", Version: 1, Outcome: "noted", Reason: "Noted.", DecidedAt: at}}}
	var a, b bytes.Buffer
	if err := export.WriteConsultationZip(&a, c); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteConsultationZip(&b, c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same data gave different bytes")
	}
	manifest := func(buf []byte) export.ConsultationManifestDoc {
		zr, err := zip.NewReader(bytes.NewReader(buf), int64(len(buf)))
		if err != nil {
			t.Fatal(err)
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(rc)
		var m export.ConsultationManifestDoc
		if err := json.Unmarshal(raw, &m); err != nil || zr.File[0].Name != export.ConsultationManifest {
			t.Fatalf("manifest %s: %v", zr.File[0].Name, err)
		}
		if len(zr.File) != len(m.Files)+1 {
			t.Errorf("%d files in the archive, %d in the manifest", len(zr.File), len(m.Files))
		}
		return m
	}
	m := manifest(a.Bytes())
	if m.Format != export.ConsultationFormat || len(m.Files) != 2 || m.Files[0].Records != 2 || m.Files[1].Records != 1 || len(m.Files[0].SHA256) != 64 {
		t.Errorf("manifest: %+v", m)
	}
	// The opinion map's statements and votes are two more files, listed
	// in the manifest.
	c.Statements = []export.ConsultationStatement{{Statement: "S-1", Number: 1, ID: "s1", CreatedAt: at, Source: "provision", Provision: "p1",
		Text: "A provision.", State: "accepted", Agrees: 1}, {Statement: "S-2", Number: 2, ID: "s2", CreatedAt: at, Source: "participant", Text: "x", State: "pending"}}
	c.Votes = []export.ConsultationVote{{Statement: "S-1", Voter: 1, Group: "academia", Vote: 1, At: at}}
	var v bytes.Buffer
	if err := export.WriteConsultationZip(&v, c); err != nil {
		t.Fatal(err)
	}
	if m := manifest(v.Bytes()); len(m.Files) != 4 || m.Files[2].Name != export.ConsultationStatements || m.Files[2].Records != 2 ||
		m.Files[3].Name != export.ConsultationVotes || m.Files[3].Records != 1 {
		t.Errorf("with votes: %+v", m.Files)
	}
}

// The streaming writer spools to temporary files and removes them, whether
// the archive is written or discarded; an export without an opinion map
// refuses its records.
func TestConsultationWriterCleansUp(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	left := func() int {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	at := time.Date(2014, 4, 5, 12, 0, 0, 0, time.UTC)
	w, err := export.NewConsultationWriter("f", export.ConsultationPeriod{ID: "p1", OpensAt: at, ClosesAt: at}, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := left(); n != 2 {
		t.Fatalf("%d temporary files while writing, want 2", n)
	}
	for i := range 3 {
		if err := w.Comment(export.ConsultationComment{Comment: "C-" + strconv.Itoa(i+1), Number: i + 1, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Vote(export.ConsultationVote{Statement: "S-1"}); err == nil {
		t.Error("a vote in an export without an opinion map was taken")
	}
	var b bytes.Buffer
	if _, err := w.WriteTo(&b); err == nil {
		t.Error("an export that refused a record was written")
	}
	if n := left(); n != 0 {
		t.Errorf("%d temporary files left after WriteTo", n)
	}
	w, err = export.NewConsultationWriter("f", export.ConsultationPeriod{ID: "p1", OpensAt: at, ClosesAt: at}, true)
	if err != nil {
		t.Fatal(err)
	}
	w.Comment(export.ConsultationComment{Comment: "C-1", Number: 1, CreatedAt: at})
	n, err := w.WriteTo(&b)
	if err != nil || n == 0 || int(n) != b.Len() {
		t.Fatalf("WriteTo: %d bytes, %v; wrote %d", n, err, b.Len())
	}
	if n := left(); n != 0 {
		t.Errorf("%d temporary files left after WriteTo", n)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil || len(zr.File) != 5 {
		t.Fatalf("archive: %v, %d files", err, len(zr.File))
	}
	w, _ = export.NewConsultationWriter("f", export.ConsultationPeriod{}, true)
	w.Discard()
	if n := left(); n != 0 {
		t.Errorf("%d temporary files left after Discard", n)
	}
}
