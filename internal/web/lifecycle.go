package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/forum"
)

// The forum's life cycle on its overview page: its deadlines, with the
// time left, for everyone; for the secretariat, the forms that set and
// extend them, reopen a closed forum and discard one that never opened,
// each with its reason on the record.

func (c *Core) lifecycleRoutes() {
	c.Handle("POST /forums/{slug}/deadlines", c.setDeadline)
	c.Handle("POST /forums/{slug}/reopen", c.reopenForum)
	c.Handle("POST /forums/{slug}/discard", c.discardForum)
}

// lifecycleForm is a refused form of the forum's life cycle, shown again
// with what was sent.
type lifecycleForm struct {
	// Failed is the form: "deadline", "reopen" or "discard".
	Failed string
	In     forum.DeadlineInput
}

// FrozenNote says, on the page of a closed or discarded forum, that
// nothing in it changes; "" for others.
func (p forumPage) FrozenNote() string {
	f := p.Forum
	switch {
	case f == nil || !f.Frozen():
		return ""
	case f.Status == forum.StatusDiscarded:
		return "This forum is " + strings.ToLower(f.StatusLabel()) + ": it is not listed, nothing in it changes, and its record is kept."
	}
	return "This forum is " + strings.ToLower(f.StatusLabel()) + ": nothing in it changes unless the secretariat reopens it, with a reason on the record."
}

// DeadlineKinds are the kinds of deadline, for the secretariat's form.
func (forumPage) DeadlineKinds() []forum.Choice { return forum.DeadlineKinds }

// lifecycleDone answers a lifecycle form: back to the forum's page, or the
// page again with the form's errors (422) when its input was refused.
func (c *Core) lifecycleDone(w http.ResponseWriter, r *http.Request, form string, in forum.DeadlineInput, err error, flash string) error {
	errs, problem, ok := FieldErrors(err)
	if !ok {
		if err != nil {
			return err
		}
		return c.Redirect(w, r, "/forums/"+r.PathValue("slug"), flash)
	}
	p, perr := c.forumPage(r)
	if perr != nil {
		return perr
	}
	p.Errors, p.Problem = errs, problem
	p.Lifecycle = lifecycleForm{Failed: form, In: in}
	c.Render(w, r, http.StatusUnprocessableEntity, "forum", p)
	return nil
}

func (c *Core) setDeadline(w http.ResponseWriter, r *http.Request) error {
	sc, err := c.ForumScope(r)
	if err != nil {
		return err
	}
	in := forum.DeadlineInput{Kind: r.PostFormValue("kind"), Due: r.PostFormValue("due_at"), Reason: r.PostFormValue("reason")}
	_, err = c.svc.Kernel.SetDeadline(r.Context(), sc, in)
	return c.lifecycleDone(w, r, "deadline", in, err, "The deadline is saved.")
}

func (c *Core) reopenForum(w http.ResponseWriter, r *http.Request) error {
	sc, err := c.ForumScope(r)
	if err != nil {
		return err
	}
	in := forum.DeadlineInput{Reason: r.PostFormValue("reason")}
	_, err = c.svc.Kernel.ReopenForum(r.Context(), sc, in.Reason)
	return c.lifecycleDone(w, r, "reopen", in, err, "The forum is open again.")
}

func (c *Core) discardForum(w http.ResponseWriter, r *http.Request) error {
	sc, err := c.ForumScope(r)
	if err != nil {
		return err
	}
	in := forum.DeadlineInput{Reason: r.PostFormValue("reason")}
	_, err = c.svc.Kernel.DiscardForum(r.Context(), sc, in.Reason)
	return c.lifecycleDone(w, r, "discard", in, err, "The forum is discarded: it is no longer listed, and its record is kept.")
}

// deadlineWhen is a time of a deadline event's payload for people.
func deadlineWhen(p map[string]any, k string) string {
	t, err := time.Parse(time.RFC3339, Str(p, k))
	if err != nil {
		return Str(p, k)
	}
	return forum.Deadline{Due: t}.DueText()
}

// because adds an event's reason to its description.
func because(p map[string]any) string {
	if r := Str(p, "reason"); r != "" {
		return " Reason: " + r
	}
	return ""
}

func init() {
	Describe("forum.reopened", func(p map[string]any) string {
		return "The forum was reopened." + because(p)
	})
	Describe("forum.discarded", func(p map[string]any) string {
		return "The forum was discarded; its record is kept." + because(p)
	})
	noun := func(p map[string]any) string {
		return forum.Deadline{Kind: forum.DeadlineKind(Str(p, "kind"))}.Noun()
	}
	Describe("forum.deadline_set", func(p map[string]any) string {
		return "The deadline for " + noun(p) + " was set: " + deadlineWhen(p, "due_at") + "." + because(p)
	})
	Describe("forum.deadline_extended", func(p map[string]any) string {
		return "The deadline for " + noun(p) + " was extended from " + deadlineWhen(p, "from") + " to " + deadlineWhen(p, "due_at") + "." + because(p)
	})
	Describe("forum.deadline_brought_forward", func(p map[string]any) string {
		return "The deadline for " + noun(p) + " was brought forward from " + deadlineWhen(p, "from") + " to " + deadlineWhen(p, "due_at") + "." + because(p)
	})
	Describe("forum.deadline_removed", func(p map[string]any) string {
		return "The deadline for " + noun(p) + " (" + deadlineWhen(p, "from") + ") was removed." + because(p)
	})
}
