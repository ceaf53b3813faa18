package server_test

import (
	"net/http"
	"testing"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// An address that is not valid text names nothing: both faces answer it
// before any engine sees its bytes (PostgreSQL refuses invalid UTF-8 and
// NUL, which must never become a 500).
func TestAddressesThatAreNotTextNameNothing(t *testing.T) {
	s := servertest.New(t)
	sec := s.User("sec@example.org", "Sec", true)
	s.Forum(sec, "wtpf", "WTPF")
	c := s.Client()
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/api/v1/forums/%ff", http.StatusNotFound},
		{"/api/v1/forums/%00", http.StatusNotFound},
		{"/api/v1/forums/wtpf/documents/%ff%fe", http.StatusNotFound},
		{"/forums/%ff", http.StatusNotFound},
		{"/forums/wtpf/documents/%00", http.StatusNotFound},
		{"/api/v1/forums/wtpf/documents?type=%ff", http.StatusUnprocessableEntity},
		{"/forums/wtpf/search?q=a%00b", http.StatusUnprocessableEntity},
		{"/api/v1/search?q=%c3%28", http.StatusUnprocessableEntity},
	} {
		if r := c.Get(tc.path); r.StatusCode != tc.want {
			t.Errorf("GET %s: %d, want %d: %.200s", tc.path, r.StatusCode, tc.want, r.Body)
		}
	}
}
