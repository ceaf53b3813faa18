package documents

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/files"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

// docConfig is what documents need beyond the database: where files go
// and how large they may be.
type DocConfig struct {
	files     files.Store
	maxUpload int64
}

// DefaultMaxUploadBytes bounds uploaded files when SetFileStore was given
// no limit.
const DefaultMaxUploadBytes = 20 << 20

// SetFileStore sets where document files are stored and the largest file
// accepted. The server sets it at start (files under its data directory).
func (s *Service) SetFileStore(st files.Store, maxUpload int64) {
	if maxUpload <= 0 {
		maxUpload = DefaultMaxUploadBytes
	}
	s.docs = DocConfig{files: st, maxUpload: maxUpload}
}

// FileStore returns the file store, nil when none is set.
func (s *Service) FileStore() files.Store { return s.docs.files }

// MaxUploadBytes is the largest file accepted.
func (s *Service) MaxUploadBytes() int64 {
	if s.docs.maxUpload <= 0 {
		return DefaultMaxUploadBytes
	}
	return s.docs.maxUpload
}

// File is a file attached to a version of a document.
type File struct {
	ID          string    `json:"id"`
	DocumentID  string    `json:"document_id"`
	VersionID   string    `json:"version_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Language    string    `json:"language,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// KindLabel is the file's type for people: PDF, Word (DOCX)...
func (f File) KindLabel() string {
	if k, ok := files.KindOf(f.ContentType); ok {
		return k.Label
	}
	return f.ContentType
}

// SizeLabel is the file's size for people: 12 KB, 3.4 MB.
func (f File) SizeLabel() string { return ByteSize(f.Size) }

// ByteSize writes a size in bytes for people.
func ByteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.0f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// FileInput is one uploaded file: its name as the client gave it (only
// kept for display; the type is decided from the bytes), its language, and
// its content.
type FileInput struct {
	Name     string
	Language string
	Content  io.Reader
}

// upload is a checked file waiting to be recorded: spooled to a temporary
// file, its type known from its bytes, then put in the file store.
type upload struct {
	*files.Upload
	name string
	lang string
	kind files.Kind
	text string // extracted for search
}

func closeAll(ups []*upload) {
	for _, u := range ups {
		u.Close()
	}
}

// maxExtract bounds the text kept from one file for search.
const maxExtract = 256 << 10

// spoolFiles checks uploaded files: each is read into a temporary file up
// to the size limit (more is a too-large error naming the field "file"),
// its type is decided from its bytes, and its text is extracted for
// search. Nothing is stored yet; on error every temporary file is gone.
func (s *Service) spoolFiles(ctx context.Context, ins []FileInput) ([]*upload, error) {
	if len(ins) == 0 {
		return nil, nil
	}
	if s.docs.files == nil {
		return nil, &plenary.Error{Code: plenary.CodeUnavailable, Field: "file", Message: "this site has no file storage set up"}
	}
	var ups []*upload
	for _, in := range ins {
		lang := strings.ToLower(strings.TrimSpace(in.Language))
		if lang != "" && !forum.LangRE.MatchString(lang) {
			closeAll(ups)
			return nil, plenary.Invalid("language", "%q is not a language code such as en, fr or ar", lang)
		}
		u, err := files.Spool(ctx, in.Content, s.MaxUploadBytes(), "")
		if errors.Is(err, files.ErrTooLarge) {
			closeAll(ups)
			return nil, &plenary.Error{Code: plenary.CodeTooLarge, Field: "file",
				Message: fmt.Sprintf("is larger than the limit of %s", ByteSize(s.MaxUploadBytes()))}
		}
		if err != nil {
			closeAll(ups)
			return nil, err
		}
		kind, err := files.Sniff(u, u.Size)
		if err != nil {
			u.Close()
			closeAll(ups)
			if u.Size == 0 {
				return nil, plenary.Invalid("file", "is empty")
			}
			return nil, plenary.Invalid("file", "is not a PDF, Word (DOCX), OpenDocument (ODT) or plain-text (UTF-8) file")
		}
		ups = append(ups, &upload{Upload: u, name: files.CleanName(in.Name, kind), lang: lang, kind: kind,
			text: files.Extract(u, u.Size, kind, maxExtract)})
	}
	return ups, nil
}

// acceptFiles checks uploaded files (spoolFiles) and puts them in the
// file store (storeFiles). The caller closes what it returns.
func (s *Service) acceptFiles(ctx context.Context, ins []FileInput) ([]*upload, error) {
	ups, err := s.spoolFiles(ctx, ins)
	if err != nil {
		return nil, err
	}
	if err := s.storeFiles(ctx, ups); err != nil {
		closeAll(ups)
		return nil, err
	}
	return ups, nil
}

// storeFiles puts checked files in the file store. Content is addressed by
// its hash, so storing it again (or a transaction that then fails) leaves
// nothing inconsistent.
func (s *Service) storeFiles(ctx context.Context, ups []*upload) error {
	for _, u := range ups {
		obj, err := s.docs.files.Put(ctx, u.Reader())
		if err != nil {
			return err
		}
		if obj.SHA256 != u.SHA256 || obj.Size != u.Size {
			return fmt.Errorf("forum: stored file %s does not match its upload", obj.SHA256)
		}
	}
	return nil
}

// fileRef is a file as events record it.
type fileRef struct {
	FileID      string `json:"file_id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Language    string `json:"language,omitempty"`
}

func fileRefs(fs []File) []fileRef {
	var out []fileRef
	for _, f := range fs {
		out = append(out, fileRef{FileID: f.ID, Name: f.Name, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, Language: f.Language})
	}
	return out
}

func insertFiles(ctx context.Context, tx *store.Tx, a forum.Actor, d Document, v Version, ups []*upload, now time.Time) ([]File, error) {
	out := []File{}
	for _, u := range ups {
		f := File{ID: plenary.NewID(), DocumentID: d.ID, VersionID: v.ID, Name: u.name, ContentType: u.kind.ContentType,
			Size: u.Size, SHA256: u.SHA256, Language: u.lang, CreatedAt: now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO document_files (id, document_id, version_id, name, content_type, size, sha256, language, text, submitted_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, f.DocumentID, f.VersionID, f.Name, f.ContentType, f.Size, f.SHA256, f.Language,
			u.text, a.LedgerID(), now.UnixMilli()); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// AttachInput says where an uploaded file goes: a version of the document
// by its id or label ("" for the latest), and the file itself.
type AttachInput struct {
	Version string
	FileInput
}

// AttachFile attaches a file to a version of a document (a language
// version of it, a PDF of the text). Who may is who may add a version.
func (s *Service) AttachFile(ctx context.Context, sc *forum.Scope, docID string, in AttachInput) (File, error) {
	a := sc.Actor
	f, d, err := s.documentForChange(ctx, sc, docID)
	if err != nil {
		return File{}, err
	}
	if d.Status == DocWithdrawn {
		return File{}, plenary.Conflict("%s has been withdrawn", d.Number)
	}
	var ver Version
	switch {
	case in.Version == "" && len(d.Versions) > 0:
		ver = d.Versions[len(d.Versions)-1]
	default:
		found := false
		for _, v := range d.Versions {
			if v.ID == in.Version || v.Label == in.Version {
				ver, found = v, true
			}
		}
		if !found {
			return File{}, plenary.Invalid("version", "%s has no version %q", d.Number, in.Version)
		}
	}
	if in.Content == nil {
		return File{}, plenary.Invalid("file", "choose a file to attach")
	}
	ups, err := s.acceptFiles(ctx, []FileInput{in.FileInput})
	if err != nil {
		return File{}, err
	}
	defer closeAll(ups)
	var out File
	err = s.kernel.Command(ctx, sc, "documents.AttachFile", func(tx *store.Tx, sc *forum.Scope) error {
		fs, err := insertFiles(ctx, tx, a, d, ver, ups, forum.NowUTC())
		if err != nil {
			return err
		}
		out = fs[0]
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET updated_at = ? WHERE id = ?", out.CreatedAt.UnixMilli(), d.ID); err != nil {
			return err
		}
		if err := s.reindexDocument(ctx, tx, f, d.ID); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "document.file_attached", d.Visibility, map[string]any{
			"document_id": d.ID, "number": d.Number, "label": ver.Label, "file": fileRefs(fs)[0]})
		return err
	})
	return out, err
}

// OpenFile returns a file of a document the actor may read, with its
// content for reading and seeking. The caller closes it.
func (s *Service) OpenFile(ctx context.Context, sc *forum.Scope, docID, fileID string) (File, io.ReadSeekCloser, error) {
	d, err := s.Document(ctx, sc, docID)
	if err != nil {
		return File{}, nil, err
	}
	for _, v := range d.Versions {
		for _, fl := range v.Files {
			if fl.ID != fileID {
				continue
			}
			if s.docs.files == nil {
				return File{}, nil, &plenary.Error{Code: plenary.CodeUnavailable, Message: "this site has no file storage set up"}
			}
			rc, err := s.docs.files.Open(ctx, fl.SHA256)
			if errors.Is(err, fs.ErrNotExist) {
				return File{}, nil, plenary.Internal(fmt.Errorf("forum: file %s of %s is missing from the store", fl.SHA256, d.Number))
			}
			return fl, rc, err
		}
	}
	return File{}, nil, plenary.NotFound("%s has no such file", d.Number)
}

// ServeFile answers a request for a file of a document the actor may
// read: the one download of both faces. The file goes out as files.Serve
// sends it: its stored type, as an attachment under its name, never
// sniffed, in a sandbox, with its SHA-256 as entity tag, ranges and
// conditional requests served. An error (the document or the file not
// found, not readable by the actor, no file storage) comes before
// anything is written, for the face to answer in its own way.
func (s *Service) ServeFile(w http.ResponseWriter, r *http.Request, sc *forum.Scope, docID, fileID string) error {
	fl, rc, err := s.OpenFile(r.Context(), sc, docID, fileID)
	if err != nil {
		return err
	}
	defer rc.Close()
	files.Serve(w, r, fl.Name, fl.ContentType, fl.SHA256, fl.CreatedAt, rc)
	return nil
}

func scanFile(sc interface{ Scan(...any) error }) (File, error) {
	var f File
	var at int64
	err := sc.Scan(&f.ID, &f.DocumentID, &f.VersionID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.Language, &at)
	f.CreatedAt = time.UnixMilli(at).UTC()
	return f, err
}

const fileColumns = "id, document_id, version_id, name, content_type, size, sha256, language, created_at"
