package live

import (
	"net/http"
	"time"
)

// Paced is a response whose write deadline moves idle on at its start and
// before each write, as a stream's does: a long answer (a download of a
// ledger or of a million comments) is cut off after idle without progress,
// not at the server's write timeout, which bounds a whole answer.
type Paced struct {
	http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
}

// NewPaced paces w.
func NewPaced(w http.ResponseWriter, idle time.Duration) *Paced {
	p := &Paced{ResponseWriter: w, rc: http.NewResponseController(w), idle: idle}
	_ = p.rc.SetWriteDeadline(time.Now().Add(idle))
	return p
}

func (p *Paced) Write(b []byte) (int, error) {
	_ = p.rc.SetWriteDeadline(time.Now().Add(p.idle))
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (p *Paced) Unwrap() http.ResponseWriter { return p.ResponseWriter }
