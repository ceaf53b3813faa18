package web

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/plenary-forum/plenary/internal/store"
)

// Template functions that read the store read as part of the request: a
// statement counter in its context sees them. They are not cancelled with
// it, since what they read may be kept for other requests.
func TestTemplateReadsCarryTheRequestsValues(t *testing.T) {
	var c store.Counter
	ctx, cancel := context.WithCancel(store.WithCounter(context.Background(), &c))
	r := httptest.NewRequest("GET", "/forums/wtpf-13", nil).WithContext(ctx)
	h := &Core{}
	p := struct{ Base }{h.Base(r, "Forum")}
	cancel()
	rc, done := ReadContext(p)
	defer done()
	if store.CounterFrom(rc) != &c {
		t.Error("a template function's read does not carry the request's counter")
	}
	if rc.Err() != nil {
		t.Errorf("a template function's read ends with its request: %v", rc.Err())
	}
	if _, ok := rc.Deadline(); !ok {
		t.Error("a template function's read has no deadline")
	}
	bc, done2 := ReadContext(struct{ Base }{})
	defer done2()
	if store.CounterFrom(bc) != nil || bc.Err() != nil {
		t.Error("a page without a request does not read under a background context")
	}
}
