package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
)

type homePage struct {
	Base
	Forums []forum.Forum
}

func (c *Core) showHome(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Path != "/" {
		return plenary.NotFound("there is no page at %s", r.URL.Path)
	}
	fs, err := c.svc.Kernel.Forums(r.Context())
	if err != nil {
		return err
	}
	c.Render(w, r, http.StatusOK, "home", homePage{Base: c.Base(r, "Forums"), Forums: fs})
	return nil
}

// ForumBase loads the forum named in the path and fills the page base with
// it, the section of its navigation the page is in and the tabs the actor
// sees; it returns the forum and the viewer's standing too.
func (c *Core) ForumBase(r *http.Request, title, section string) (Base, forum.Forum, forum.Viewer, error) {
	sc, err := c.ForumScope(r)
	if err != nil {
		return Base{}, forum.Forum{}, forum.Viewer{}, err
	}
	f := sc.Forum
	v, err := sc.Viewer(r.Context())
	if err != nil {
		return Base{}, f, v, err
	}
	b := c.Base(r, title+" · "+f.Title)
	if title == "" {
		b.Title = f.Title
	}
	b.Forum = &f
	b.Section = section
	if b.ForumNav, err = c.forumTabs(r, f, v); err != nil {
		return Base{}, f, v, err
	}
	return b, f, v, nil
}

type forumPage struct {
	Base
	Bodies   []forum.Body
	Activity activityList
	Viewer   forum.Viewer
	// Lifecycle is the input of a form of the forum's life cycle that was
	// refused, shown again (lifecycle.go).
	Lifecycle lifecycleForm
}

// BodyKinds are the kinds of body the secretariat may add.
func (forumPage) BodyKinds() []forum.Choice { return forum.BodyKinds }

// Statuses are the statuses the secretariat may give the forum.
func (forumPage) Statuses() []forum.Choice { return forum.SettableStatuses() }

func (c *Core) showForum(w http.ResponseWriter, r *http.Request) error {
	p, err := c.forumPage(r)
	if err != nil {
		return err
	}
	c.Render(w, r, http.StatusOK, "forum", p)
	return nil
}

// forumPage reads the forum's overview page.
func (c *Core) forumPage(r *http.Request) (forumPage, error) {
	b, f, v, err := c.ForumBase(r, "", "overview")
	if err != nil {
		return forumPage{}, err
	}
	bodies, err := c.Scope(r, f).Bodies(r.Context())
	if err != nil {
		return forumPage{}, err
	}
	act, err := c.activity(r, f, v, 15)
	if err != nil {
		return forumPage{}, err
	}
	b.Live = fmt.Sprintf("/forums/%s/events?since=%d", f.Slug, act.Head)
	return forumPage{Base: b, Bodies: bodies, Activity: act, Viewer: v}, nil
}

// activityList is the newest events a viewer may see.
type activityList struct {
	Slug  string
	Head  int64
	Items []activityItem
}

type activityItem struct {
	Seq        int64
	At         time.Time
	Text       string
	Type       string
	Visibility string
	Hash       string
}

// RecordHref is the address of event seq on the forum's record page: the
// page that ends with it, at its row.
func (l activityList) RecordHref(seq int64) string {
	return fmt.Sprintf("/forums/%s/record?before=%d#e%d", l.Slug, seq+1, seq)
}

// VisibilityLabel says who may read the event.
func (it activityItem) VisibilityLabel() string { return ledger.VisibilityLabel(it.Visibility) }

var (
	describeMu sync.RWMutex
	describers = map[string]func(payload map[string]any) string{}
)

// Describe registers how an event type reads in activity lists; each
// package of pages registers its own types.
func Describe(typ string, f func(payload map[string]any) string) {
	describeMu.Lock()
	describers[typ] = f
	describeMu.Unlock()
}

// DescribedTypes lists the event types the pages describe, sorted.
func DescribedTypes() []string {
	describeMu.RLock()
	defer describeMu.RUnlock()
	out := make([]string, 0, len(describers))
	for t := range describers {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// IsDescribed reports whether the pages describe events of type typ.
func IsDescribed(typ string) bool {
	describeMu.RLock()
	defer describeMu.RUnlock()
	_, ok := describers[typ]
	return ok
}

// Str is the string at key k of an event's payload, "" when there is none.
func Str(p map[string]any, k string) string {
	s, _ := p[k].(string)
	return s
}

// LowerFirst writes a label inside a sentence: its first letter in lower
// case, the rest (names) as it is.
func LowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// UpperFirst writes a label at the start of a sentence: its first letter
// in upper case, the rest as it is.
func UpperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func init() {
	Describe("forum.created", func(p map[string]any) string { return "The forum " + Str(p, "title") + " was set up." })
	Describe("forum.updated", func(p map[string]any) string { return "The forum's settings were changed." })
	Describe("forum.status_changed", func(p map[string]any) string {
		return "The forum's status changed from " + forum.Label(forum.ForumStatuses, Str(p, "from")) + " to " + forum.Label(forum.ForumStatuses, Str(p, "to")) + "."
	})
	Describe("body.created", func(p map[string]any) string { return "The body " + Str(p, "name") + " was set up." })
}

func describe(ev ledger.Event) string {
	describeMu.RLock()
	f := describers[ev.Type]
	describeMu.RUnlock()
	if f == nil {
		return strings.ReplaceAll(ev.Type, "_", " ") + "."
	}
	var p map[string]any
	_ = json.Unmarshal(ev.Payload, &p)
	return f(p)
}

func (c *Core) activity(r *http.Request, f forum.Forum, v forum.Viewer, n int) (activityList, error) {
	// The list depends only on the forum's events and what the viewer may
	// see: it is kept until the next event.
	key := fmt.Sprintf("activity|%d|%s", n, strings.Join(v.Visibilities(), ","))
	return Kept(c, f.ID, key, func() (activityList, error) { return c.readActivity(r, f, v, n) })
}

func (c *Core) readActivity(r *http.Request, f forum.Forum, v forum.Viewer, n int) (activityList, error) {
	st := c.svc.Kernel.Store()
	head, err := st.HeadSeq(r.Context(), f.ID)
	if err != nil {
		return activityList{}, err
	}
	evs, err := st.EventsBefore(r.Context(), f.ID, head+1, n, v.Visibilities())
	if err != nil {
		return activityList{}, err
	}
	l := activityList{Slug: f.Slug, Head: head}
	for _, ev := range evs {
		l.Items = append(l.Items, activityItem{Seq: ev.Seq, At: ev.At, Text: describe(ev), Type: ev.Type, Visibility: ev.Visibility, Hash: ev.Hash})
	}
	return l, nil
}

// showActivity is the live fragment of the forum page.
func (c *Core) showActivity(w http.ResponseWriter, r *http.Request) error {
	_, f, v, err := c.ForumBase(r, "", "overview")
	if err != nil {
		return err
	}
	act, err := c.activity(r, f, v, 15)
	if err != nil {
		return err
	}
	c.RenderFragment(w, r, "forum", "activity", act)
	return nil
}

// streamEvents is the forum's Server-Sent Events stream, filtered by what
// the viewer may see.
func (c *Core) streamEvents(w http.ResponseWriter, r *http.Request) error {
	_, f, v, err := c.ForumBase(r, "", "")
	if err != nil {
		return err
	}
	// A logged-in viewer's stream reads the session again as it runs, and
	// ends when the session does (ServeStream).
	return c.ServeStream(w, r, f, v, nil, nil)
}

type recordPage struct {
	Base
	Events    []activityItem
	Head      ledger.Head
	Checkpt   *ledger.Checkpoint
	KeyID     string
	PublicKey string
	Before    int64
	Older     int64
}

// showRecord is the forum's public record: the ledger, newest first, with
// hashes, the latest signed checkpoint and how to verify it.
func (c *Core) showRecord(w http.ResponseWriter, r *http.Request) error {
	b, f, v, err := c.ForumBase(r, "Record", "record")
	if err != nil {
		return err
	}
	st := c.svc.Kernel.Store()
	head, err := st.Head(r.Context(), f.ID)
	if err != nil {
		return err
	}
	before := head.Seq + 1
	if s := r.URL.Query().Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return plenary.Invalid("before", "must be a sequence number")
		}
		before = n
	}
	evs, err := st.EventsBefore(r.Context(), f.ID, before, 50, v.Visibilities())
	if err != nil {
		return err
	}
	p := recordPage{Base: b, Head: head, Before: before}
	for _, ev := range evs {
		p.Events = append(p.Events, activityItem{Seq: ev.Seq, At: ev.At, Text: describe(ev), Type: ev.Type, Visibility: ev.Visibility, Hash: ev.Hash})
	}
	if len(evs) == 50 {
		p.Older = evs[len(evs)-1].Seq
	}
	if cp, err := st.LatestCheckpoint(r.Context(), f.ID); err == nil {
		p.Checkpt = &cp
	}
	if s := c.svc.Kernel.Signer(); s != nil {
		p.KeyID, p.PublicKey = s.KeyID(), s.PublicKeyBase64()
	}
	c.Render(w, r, http.StatusOK, "record", p)
	return nil
}

type forumFormPage struct {
	Base
	In      forum.ForumInput
	Kinds   []forum.Choice
	Presets []forum.Choice
	Langs   string
	Public  bool
	Edit    bool
}

// presetChoices lists the presets of the rules of participation.
func presetChoices() []forum.Choice {
	cs := []forum.Choice{{Value: "", Label: "The usual rules for the kind of forum"}}
	for _, p := range rules.Presets() {
		cs = append(cs, forum.Choice{Value: p.Key, Label: p.Name})
	}
	return cs
}

func (c *Core) showNewForum(w http.ResponseWriter, r *http.Request) error {
	a := forum.ActorFrom(r.Context())
	if !a.LoggedIn() {
		return plenary.Unauthorized("log in first")
	}
	if !a.Admin {
		return plenary.Forbidden("only the secretariat may set up a forum")
	}
	c.Render(w, r, http.StatusOK, "forum_form", forumFormPage{Base: c.Base(r, "Set up a forum"), Kinds: forum.ForumKinds,
		Presets: presetChoices(), In: forum.ForumInput{Kind: forum.KindPolicyForum}, Langs: "en", Public: true})
	return nil
}

func forumInputFrom(r *http.Request) (forum.ForumInput, string, bool) {
	pub := r.PostFormValue("default_public") == "on" || r.PostFormValue("default_public") == "true"
	langs := r.PostFormValue("languages")
	var ls []string
	for _, l := range strings.FieldsFunc(langs, func(c rune) bool { return c == ',' || c == ' ' }) {
		ls = append(ls, strings.ToLower(l))
	}
	return forum.ForumInput{
		Slug: r.PostFormValue("slug"), Title: r.PostFormValue("title"), Kind: r.PostFormValue("kind"),
		StartsOn: r.PostFormValue("starts_on"), EndsOn: r.PostFormValue("ends_on"), Venue: r.PostFormValue("venue"),
		Languages: ls, DocPrefix: r.PostFormValue("doc_prefix"), DefaultPublic: &pub, Description: r.PostFormValue("description"),
		Preset: r.PostFormValue("preset"),
	}, langs, pub
}

func (c *Core) createForum(w http.ResponseWriter, r *http.Request) error {
	in, langs, pub := forumInputFrom(r)
	f, err := c.svc.Kernel.CreateForum(r.Context(), forum.ActorFrom(r.Context()), in)
	if errs, problem, ok := FieldErrors(err); ok {
		p := forumFormPage{Base: c.Base(r, "Set up a forum"), In: in, Kinds: forum.ForumKinds, Presets: presetChoices(), Langs: langs, Public: pub}
		p.Errors, p.Problem = errs, problem
		c.Render(w, r, http.StatusUnprocessableEntity, "forum_form", p)
		return nil
	}
	if err != nil {
		return err
	}
	return c.Redirect(w, r, "/forums/"+f.Slug, "The forum is set up.")
}

func (c *Core) showEditForum(w http.ResponseWriter, r *http.Request) error {
	b, f, v, err := c.ForumBase(r, "Settings", "settings")
	if err != nil {
		return err
	}
	if !v.Secretariat {
		return plenary.Forbidden("only the secretariat of %s may change its settings", f.Title)
	}
	in := forum.ForumInput{Slug: f.Slug, Title: f.Title, Kind: f.Kind, StartsOn: f.StartsOn, EndsOn: f.EndsOn, Venue: f.Venue,
		DocPrefix: f.DocPrefix, Description: f.Description}
	c.Render(w, r, http.StatusOK, "forum_form", forumFormPage{Base: b, In: in, Kinds: forum.ForumKinds,
		Langs: strings.Join(f.Languages, ", "), Public: f.DefaultPublic, Edit: true})
	return nil
}

func (c *Core) updateForum(w http.ResponseWriter, r *http.Request) error {
	in, langs, pub := forumInputFrom(r)
	sc, err := c.ForumScope(r)
	if err != nil {
		return err
	}
	f, err := c.svc.Kernel.UpdateForum(r.Context(), sc, in)
	if errs, problem, ok := FieldErrors(err); ok {
		b, _, _, ferr := c.ForumBase(r, "Settings", "settings")
		if ferr != nil {
			return ferr
		}
		in.Slug = r.PathValue("slug")
		p := forumFormPage{Base: b, In: in, Kinds: forum.ForumKinds, Langs: langs, Public: pub, Edit: true}
		p.Errors, p.Problem = errs, problem
		c.Render(w, r, http.StatusUnprocessableEntity, "forum_form", p)
		return nil
	}
	if err != nil {
		return err
	}
	return c.Redirect(w, r, "/forums/"+f.Slug, "The settings are saved.")
}

func (c *Core) setForumStatus(w http.ResponseWriter, r *http.Request) error {
	sc, err := c.ForumScope(r)
	if err != nil {
		return err
	}
	f, err := c.svc.Kernel.SetForumStatus(r.Context(), sc, r.PostFormValue("status"))
	if err != nil {
		return err
	}
	return c.Redirect(w, r, "/forums/"+f.Slug, "The forum is now "+strings.ToLower(f.StatusLabel())+".")
}

func (c *Core) createBody(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	sc, err := c.ForumScope(r)
	if err != nil {
		return err
	}
	_, err = c.svc.Kernel.CreateBody(r.Context(), sc, forum.BodyInput{
		Slug: r.PostFormValue("body_slug"), Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"), ParentSlug: r.PostFormValue("parent_slug")})
	if err != nil {
		return err
	}
	return c.Redirect(w, r, "/forums/"+slug, "The body is set up.")
}

// ForumScope is the request's scope in the forum named in the path: the
// forum, its rules and the actor's standings, read once per request.
func (c *Core) ForumScope(r *http.Request) (*forum.Scope, error) {
	return c.svc.Kernel.RequestScope(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("slug"))
}

// Scope is the request's scope in forum f, which the handler has read.
func (c *Core) Scope(r *http.Request, f forum.Forum) *forum.Scope {
	return c.svc.Kernel.RequestScopeOf(r.Context(), forum.ActorFrom(r.Context()), f)
}
