package meetings_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"runtime"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// persona is the actor of a demo login.
func (s *liveSite) persona(t *testing.T, key string) forum.Actor {
	t.Helper()
	u, err := s.Svc.Accounts.UserByEmail(context.Background(), demo.LoginByKey(key).Email)
	if err != nil {
		t.Fatal(err)
	}
	return forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin}
}

// interventions are WG3-4's interventions.
func (s *liveSite) interventions(t *testing.T) []meetings.Intervention {
	t.Helper()
	ins, err := s.Svc.Meetings.Interventions(context.Background(), fixture.In(t, s.Svc.Kernel, s.persona(t, "secretariat"), demo.WTPFSlug), demo.WG3Meeting)
	if err != nil {
		t.Fatal(err)
	}
	return ins
}

// chair presses controls of the chair's console of WG3-4, after the
// server's clock has moved on by a few milliseconds, so that every turn
// lasts.
func (s *liveSite) chair(t *testing.T, actions ...string) {
	t.Helper()
	live := wg3 + "/live"
	for _, a := range actions {
		for t0 := plenary.Now(); !plenary.Now().After(t0.Add(2 * time.Millisecond)); {
			runtime.Gosched()
		}
		wantStatus(t, s.client(t, "chair").PostForm(live+"/chair", live+"/chair/"+a, nil), http.StatusSeeOther)
	}
}

// upload posts a WebVTT file with the recording's start.
func upload(t *testing.T, s *liveSite, c *servertest.Client, vtt, base string) servertest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", c.CSRF(wg3+"/interventions"))
	_ = mw.WriteField("base", base)
	fw, _ := mw.CreateFormFile("file", "captions.vtt")
	_, _ = fw.Write([]byte(vtt))
	_ = mw.Close()
	return c.Do("POST", wg3+"/transcript", &buf, http.Header{"Content-Type": {mw.FormDataContentType()}, "Origin": {s.URL}, "Sec-Fetch-Site": {"same-origin"}})
}

func TestTranscriptsAndStatements(t *testing.T) {
	s := newLiveSite(t)
	page := wg3 + "/interventions"
	anon, bra, sec := s.client(t, ""), s.client(t, "member_state"), s.client(t, "secretariat")
	// Brazil's turn ends; the United States' point of order is given
	// the floor and ends: two interventions, one after the other.
	s.chair(t, "finish", "next", "start", "finish")
	ins := s.interventions(t)
	first, second := ins[len(ins)-2], ins[len(ins)-1]
	if first.PartyName != "Brazil" || second.Name != "Uma Delegate" {
		t.Fatalf("the last interventions: %+v %+v", first, second)
	}
	r := anon.Get(page)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Beatriz Delegate, Brazil", "Uma Delegate", `id="i-`+first.ID+`"`)
	mustNotContain(t, r, "Add transcript text", "Import a transcript")

	// Only the secretariat (or whoever may manage the floor) types text.
	textPath := page + "/" + first.ID + "/transcript"
	r = bra.PostForm(page, textPath, url.Values{"text": {"I speak for Brazil."}})
	wantStatus(t, r, http.StatusForbidden)
	r = sec.PostForm(page, textPath, url.Values{"text": {"  "}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "write the transcript text")
	wantStatus(t, sec.PostForm(page, textPath, url.Values{"text": {"Brazil thanks the chair."}}), http.StatusSeeOther)
	r = anon.Get(page)
	mustContain(t, r, `<span class="hint">Beatriz Delegate:</span> Brazil thanks the chair.`)

	// A WebVTT file: the first cue overlaps the first intervention, the
	// second the second, the third falls outside both.
	loc, _ := time.LoadLocation("Europe/Zurich")
	start := *first.StartedAt
	base := start.Add(-2 * time.Second).Truncate(time.Second)
	off := func(t time.Time) string {
		d := t.Sub(base)
		return time.Time{}.Add(d).Format("15:04:05.000")
	}
	mid := first.EndedAt.Add(second.GivenAt.Sub(first.EndedAt) / 2)
	vtt := "WEBVTT\n\n" +
		off(start) + " --> " + off(mid) + "\n<v Beatriz>Thank you, Chair, Brazil supports the text.\n\n" +
		off(mid) + " --> " + off(second.EndedAt.Add(5*time.Second)) + "\n<v Uma>A point of order: there is no French interpretation.\n\n" +
		"02:00:00.000 --> 02:00:05.000\nApplause.\n"
	r = upload(t, s, bra, vtt, base.In(loc).Format("2006-01-02T15:04:05"))
	wantStatus(t, r, http.StatusForbidden)
	r = upload(t, s, sec, vtt, base.In(loc).Format("2006-01-02T15:04:05"))
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "3 cues read; 2 placed with their speakers.", "Applause.")
	r = anon.Get(page)
	mustContain(t, r, `<span class="hint">Beatriz Delegate:</span> Thank you, Chair, Brazil supports the text.`,
		`<span class="hint">Uma Delegate:</span> A point of order: there is no French interpretation.`)
	mustNotContain(t, r, "Applause.")
	// A file that is not WebVTT is refused, naming the field.
	r = upload(t, s, sec, "NOT VTT\n", "")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `class="fielderror"`)

	// A statement: a numbered document of type statement.
	secSc := fixture.In(t, s.Svc.Kernel, s.persona(t, "secretariat"), demo.WTPFSlug)
	st, err := s.Svc.Documents.SubmitDocument(context.Background(), secSc, documents.DocumentInput{Type: documents.DocStatement,
		Title: "Statement by Brazil on draft Opinion 5", Text: "Brazil supports the draft.", Parties: []string{"BRA"}, Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	stPath := page + "/" + first.ID + "/statement"
	r = sec.PostForm(page, stPath, url.Values{"document": {demo.OpinionNumber}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "is not a statement")
	wantStatus(t, sec.PostForm(page, stPath, url.Values{"document": {st.Number}}), http.StatusSeeOther)
	r = anon.Get(page)
	mustContain(t, r, `Written statement: <a href="/forums/wtpf-13/documents/`+st.ID+`">`+st.Number+`</a>`)
	mustContain(t, anon.Get("/forums/wtpf-13/record"), "was attached to the intervention of Beatriz Delegate (Brazil)")
}
