package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
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
