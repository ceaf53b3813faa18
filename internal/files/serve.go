package files

import (
	"io"
	"mime"
	"net/http"
	"time"
)

// Serve sends stored content as a download: the content type recorded at
// upload (decided from the bytes), as an attachment under its name, never
// sniffed by the browser, in a sandbox, with its SHA-256 as the entity tag.
// Ranges and conditional requests are served. Both faces download
// document files through documents.Service.ServeFile, which calls it.
func Serve(w http.ResponseWriter, r *http.Request, name, contentType, sum string, modified time.Time, content io.ReadSeeker) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+sum+`"`)
	http.ServeContent(w, r, "", modified, content)
}
