package meetings

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

// LinkInput names what an agenda item takes up.
type LinkInput struct {
	Kind string `json:"kind"` // document, draft or provision
	// Ref is a document's id or number, or a draft text's id (its
	// document's id or number).
	Ref       string `json:"ref"`
	Provision string `json:"provision"` // a provision id of the draft, for kind provision
}

// ItemInput is the input of AddItem and EditItem.
type ItemInput struct {
	// Parent is the id of the item this one is under; "" for the top level.
	// EditItem leaves the place alone (see MoveItem).
	Parent  string      `json:"parent"`
	Title   string      `json:"title"`
	Minutes int         `json:"minutes"` // allotted time; 0 for none
	Links   []LinkInput `json:"links"`
	// Reason is required once the agenda is adopted: the amendment's
	// reason, on the record and shown beside the item.
	Reason string `json:"reason"`
}

// MoveInput is the input of MoveItem.
type MoveInput struct {
	Parent string `json:"parent"` // "" for the top level
	// Position is the 1-based place among its new siblings; 0 is last.
	Position int    `json:"position"`
	Reason   string `json:"reason"`
}

const (
	maxItems   = 500
	maxMinutes = 24 * 60
	maxLinks   = 50
	maxDepth   = 3
)

// checkReason checks the reason of an agenda change: required once the
// agenda is adopted.
func checkReason(m Meeting, reason string) (string, error) {
	reason, err := forum.CheckLine("reason", strings.TrimSpace(reason), MaxReason)
	if err != nil {
		return "", err
	}
	if m.Adopted() && reason == "" {
		return "", plenary.Invalid("reason", "is required: the agenda of %s was adopted, so each change is an amendment with its reason", m.Number)
	}
	return reason, nil
}

// resolveLinks checks an item's links against what the actor may read.
func (s *Service) resolveLinks(ctx context.Context, sc *forum.Scope, in []LinkInput) ([]Link, error) {
	var out []Link
	seen := map[string]bool{}
	for _, l := range in {
		l.Kind, l.Ref, l.Provision = strings.TrimSpace(l.Kind), strings.TrimSpace(l.Ref), strings.TrimSpace(l.Provision)
		if !forum.Valid(LinkKinds, l.Kind) {
			return nil, plenary.Invalid("links.kind", "a link's kind must be document, draft or provision")
		}
		if l.Ref == "" {
			return nil, plenary.Invalid("links.ref", "is required: the document or draft text linked")
		}
		if !forum.IsRef(l.Ref) || !forum.IsRef(l.Provision) {
			return nil, plenary.Invalid("links", "%q names nothing", l.Ref)
		}
		d, err := s.documents.Document(ctx, sc, l.Ref)
		if err != nil {
			d, err = s.documents.DocumentByNumber(ctx, sc, l.Ref)
		}
		if err != nil {
			return nil, plenary.Invalid("links", "no document %q in this forum", l.Ref)
		}
		link := Link{Kind: l.Kind, Ref: d.ID, Label: d.Number}
		switch l.Kind {
		case LinkDocument:
			if l.Provision != "" {
				return nil, plenary.Invalid("links", "only a provision link names a provision")
			}
			link.Label = d.Current
		case LinkDraft, LinkProvision:
			dt, err := s.drafting.DraftText(ctx, sc, d.ID)
			if err != nil {
				return nil, plenary.Invalid("links", "%s is not a draft text", d.Number)
			}
			link.Label = dt.Label + " " + dt.Title
			if l.Kind == LinkProvision {
				if l.Provision == "" {
					return nil, plenary.Invalid("links", "a provision link names the provision")
				}
				rv, err := s.drafting.DraftRevision(ctx, sc, d.ID, dt.Revision)
				if err != nil {
					return nil, err
				}
				p, ok := rv.Text.Provision(l.Provision)
				if !ok {
					return nil, plenary.Invalid("links", "%s has no provision %q", dt.Label, l.Provision)
				}
				link.Provision = p.ID
				label := p.Label
				if label == "" {
					label = p.ID
				}
				link.Label = dt.Label + ", " + label
			} else if l.Provision != "" {
				return nil, plenary.Invalid("links", "only a provision link names a provision")
			}
		}
		key := link.Kind + "|" + link.Ref + "|" + link.Provision
		if !seen[key] {
			seen[key] = true
			out = append(out, link)
		}
	}
	if len(out) > maxLinks {
		return nil, plenary.Invalid("links", "at most %d links", maxLinks)
	}
	if out == nil {
		out = []Link{}
	}
	return out, nil
}

// checkItem validates an item's title, minutes and links.
func (s *Service) checkItem(ctx context.Context, sc *forum.Scope, in ItemInput) (ItemInput, []Link, error) {
	var errs plenary.Errors
	var err error
	in.Title, err = forum.CheckName("title", in.Title, MaxTitle)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if in.Minutes < 0 || in.Minutes > maxMinutes {
		errs = append(errs, plenary.Invalid("minutes", "must be between 0 and %d", maxMinutes))
	}
	links, err := s.resolveLinks(ctx, sc, in.Links)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if len(errs) > 0 {
		return in, nil, errs
	}
	return in, links, nil
}

// agendaCommand runs an agenda change: it checks the right to manage the
// floor, locks the meeting, refuses a meeting that is over, and checks
// the reason against the agenda's state.
func (s *Service) agendaCommand(ctx context.Context, sc *forum.Scope, ref, name, reason string, amends bool, fn func(tx *store.Tx, sc *forum.Scope, m Meeting, items []AgendaItem, reason string) error) (Meeting, error) {
	if _, err := forum.CheckLine("reason", reason, MaxReason); err != nil {
		return Meeting{}, err
	}
	if err := mayManageFloor(ctx, sc); err != nil {
		return Meeting{}, err
	}
	old, err := s.meeting(ctx, sc.Querier(), sc.Forum.ID, ref)
	if err != nil {
		return Meeting{}, err
	}
	var m Meeting
	err = s.kernel.Command(ctx, sc, name, func(tx *store.Tx, sc *forum.Scope) error {
		m, err = s.lockMeeting(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		if m.Over() {
			return plenary.Conflict("meeting %s is %s; its agenda can no longer change", m.Number, strings.ToLower(m.StateLabel()))
		}
		r := strings.TrimSpace(reason)
		if amends {
			if r, err = checkReason(m, reason); err != nil {
				return err
			}
		}
		items, err := s.items(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		if err := fn(tx, sc, m, items, r); err != nil {
			return err
		}
		if m, err = s.meeting(ctx, tx, sc.Forum.ID, m.ID); err != nil {
			return err
		}
		m.Agenda, err = s.items(ctx, tx, m.ID)
		return err
	})
	return m, err
}

func findItem(items []AgendaItem, id string) (AgendaItem, bool) {
	for _, it := range items {
		if it.ID == id {
			return it, true
		}
	}
	return AgendaItem{}, false
}

// checkParent checks that parent may hold an item (moving id, if any):
// an item of the meeting, not dropped, not id itself or beneath it, and
// not too deep.
func checkParent(items []AgendaItem, parent, id string) error {
	if parent == "" {
		return nil
	}
	p, ok := findItem(items, parent)
	if !ok {
		return plenary.Invalid("parent", "no agenda item %q in this meeting", parent)
	}
	if p.Dropped {
		return plenary.Invalid("parent", "item %s was removed from the agenda", p.Number)
	}
	if p.Depth+1 >= maxDepth {
		return plenary.Invalid("parent", "items nest at most %d deep", maxDepth)
	}
	for cur := p; ; {
		if cur.ID == id {
			return plenary.Invalid("parent", "an item cannot go under itself or one of its sub-items")
		}
		if cur.ParentID == "" {
			return nil
		}
		cur, _ = findItem(items, cur.ParentID)
	}
}

func nextPosition(items []AgendaItem, parent string) int {
	n := 0
	for _, it := range items {
		if it.ParentID == parent && it.Position > n {
			n = it.Position
		}
	}
	return n + 1
}

// AddItem adds an item to a meeting's agenda, last under its parent.
// Whoever may manage the floor may; once the agenda is adopted, with a
// reason.
func (s *Service) AddItem(ctx context.Context, sc *forum.Scope, ref string, in ItemInput) (AgendaItem, error) {
	in.Parent = strings.TrimSpace(in.Parent)
	in, links, err := s.checkItem(ctx, sc, in)
	if err != nil {
		return AgendaItem{}, err
	}
	it := AgendaItem{ID: plenary.NewID(), ParentID: in.Parent, Title: in.Title, Minutes: in.Minutes, Links: links, CreatedAt: forum.NowUTC()}
	m, err := s.agendaCommand(ctx, sc, ref, "meetings.AddItem", in.Reason, true, func(tx *store.Tx, sc *forum.Scope, m Meeting, items []AgendaItem, reason string) error {
		if len(items) >= maxItems {
			return plenary.Invalid("title", "an agenda has at most %d items", maxItems)
		}
		if err := checkParent(items, it.ParentID, ""); err != nil {
			return err
		}
		it.Position = nextPosition(items, it.ParentID)
		if m.Adopted() {
			it.Amended = "Added after adoption: " + reason
		}
		lj, _ := json.Marshal(it.Links)
		if _, err := tx.ExecContext(ctx, `INSERT INTO agenda_items (id, meeting_id, parent_id, position, title, minutes, links, dropped, amended, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, it.ID, m.ID, it.ParentID, it.Position, it.Title, it.Minutes, string(lj), false, it.Amended,
			it.CreatedAt.UnixMilli()); err != nil {
			return err
		}
		all, err := s.items(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		it, _ = findItem(all, it.ID)
		return s.emit(ctx, tx, sc, m, "agenda.item_added", map[string]any{"item": it.ID, "item_number": it.Number,
			"title": it.Title, "minutes": it.Minutes, "links": it.Links, "reason": reason, "amendment": m.Adopted()})
	})
	if err != nil {
		return AgendaItem{}, err
	}
	it, _ = findItem(m.Agenda, it.ID)
	return it, nil
}

// EditItem changes an item's title, allotted time and links.
func (s *Service) EditItem(ctx context.Context, sc *forum.Scope, ref, itemID string, in ItemInput) (AgendaItem, error) {
	in, links, err := s.checkItem(ctx, sc, in)
	if err != nil {
		return AgendaItem{}, err
	}
	m, err := s.agendaCommand(ctx, sc, ref, "meetings.EditItem", in.Reason, true, func(tx *store.Tx, sc *forum.Scope, m Meeting, items []AgendaItem, reason string) error {
		it, ok := findItem(items, itemID)
		if !ok {
			return plenary.NotFound("no agenda item %q in meeting %s", itemID, m.Number)
		}
		if it.Dropped {
			return plenary.Conflict("item %s was removed from the agenda", it.Number)
		}
		amended := it.Amended
		if m.Adopted() {
			amended = "Amended: " + reason
		}
		lj, _ := json.Marshal(links)
		if _, err := tx.ExecContext(ctx, "UPDATE agenda_items SET title = ?, minutes = ?, links = ?, amended = ? WHERE id = ?",
			in.Title, in.Minutes, string(lj), amended, it.ID); err != nil {
			return err
		}
		return s.emit(ctx, tx, sc, m, "agenda.item_edited", map[string]any{"item": it.ID, "item_number": it.Number,
			"title": in.Title, "was": it.Title, "minutes": in.Minutes, "links": links, "reason": reason, "amendment": m.Adopted()})
	})
	if err != nil {
		return AgendaItem{}, err
	}
	it, _ := findItem(m.Agenda, itemID)
	return it, nil
}

// MoveItem moves an item (with its sub-items) to another place.
func (s *Service) MoveItem(ctx context.Context, sc *forum.Scope, ref, itemID string, in MoveInput) (AgendaItem, error) {
	in.Parent = strings.TrimSpace(in.Parent)
	if in.Position < 0 || in.Position > maxItems {
		return AgendaItem{}, plenary.Invalid("position", "must be between 1 and %d, or 0 for last", maxItems)
	}
	m, err := s.agendaCommand(ctx, sc, ref, "meetings.MoveItem", in.Reason, true, func(tx *store.Tx, sc *forum.Scope, m Meeting, items []AgendaItem, reason string) error {
		it, ok := findItem(items, itemID)
		if !ok {
			return plenary.NotFound("no agenda item %q in meeting %s", itemID, m.Number)
		}
		if it.Dropped {
			return plenary.Conflict("item %s was removed from the agenda", it.Number)
		}
		if err := checkParent(items, in.Parent, it.ID); err != nil {
			return err
		}
		// The new siblings in order, without the item; then the item at
		// its place; positions written again 1..n.
		var sib []AgendaItem
		for _, x := range items {
			if x.ParentID == in.Parent && x.ID != it.ID {
				sib = append(sib, x)
			}
		}
		pos := in.Position
		if pos == 0 || pos > len(sib)+1 {
			pos = len(sib) + 1
		}
		order := append(append(append([]AgendaItem{}, sib[:pos-1]...), it), sib[pos-1:]...)
		for i, x := range order {
			if _, err := tx.ExecContext(ctx, "UPDATE agenda_items SET parent_id = ?, position = ? WHERE id = ?", in.Parent, i+1, x.ID); err != nil {
				return err
			}
		}
		if m.Adopted() {
			if _, err := tx.ExecContext(ctx, "UPDATE agenda_items SET amended = ? WHERE id = ?", "Moved: "+reason, it.ID); err != nil {
				return err
			}
		}
		all, err := s.items(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		now, _ := findItem(all, it.ID)
		return s.emit(ctx, tx, sc, m, "agenda.item_moved", map[string]any{"item": it.ID, "title": it.Title,
			"from": it.Number, "to": now.Number, "reason": reason, "amendment": m.Adopted()})
	})
	if err != nil {
		return AgendaItem{}, err
	}
	it, _ := findItem(m.Agenda, itemID)
	return it, nil
}

// RemoveItem removes an item and its sub-items: from a provisional
// agenda, for good; from an adopted one, marked removed with the reason
// and still shown.
func (s *Service) RemoveItem(ctx context.Context, sc *forum.Scope, ref, itemID, reason string) (Meeting, error) {
	return s.agendaCommand(ctx, sc, ref, "meetings.RemoveItem", reason, true, func(tx *store.Tx, sc *forum.Scope, m Meeting, items []AgendaItem, reason string) error {
		it, ok := findItem(items, itemID)
		if !ok {
			return plenary.NotFound("no agenda item %q in meeting %s", itemID, m.Number)
		}
		if it.Dropped {
			return plenary.Conflict("item %s was already removed from the agenda", it.Number)
		}
		ids := []string{it.ID}
		for i := 0; i < len(ids); i++ {
			for _, x := range items {
				if x.ParentID == ids[i] {
					ids = append(ids, x.ID)
				}
			}
		}
		for _, id := range ids {
			if id == m.CurrentItem {
				return plenary.Conflict("item %s is under discussion; move to another item first", it.Number)
			}
		}
		for _, id := range ids {
			var err error
			if m.Adopted() {
				_, err = tx.ExecContext(ctx, "UPDATE agenda_items SET dropped = ?, amended = ? WHERE id = ?", true, "Removed: "+reason, id)
			} else {
				_, err = tx.ExecContext(ctx, "DELETE FROM agenda_items WHERE id = ?", id)
			}
			if err != nil {
				return err
			}
		}
		return s.emit(ctx, tx, sc, m, "agenda.item_removed", map[string]any{"item": it.ID, "item_number": it.Number,
			"title": it.Title, "reason": reason, "amendment": m.Adopted()})
	})
}

// AdoptAgenda adopts a meeting's provisional agenda. Later changes are
// amendments, each with its reason.
func (s *Service) AdoptAgenda(ctx context.Context, sc *forum.Scope, ref, note string) (Meeting, error) {
	return s.agendaCommand(ctx, sc, ref, "meetings.AdoptAgenda", note, false, func(tx *store.Tx, sc *forum.Scope, m Meeting, items []AgendaItem, note string) error {
		if m.Adopted() {
			return plenary.Conflict("the agenda of %s was already adopted; change it by amendment", m.Number)
		}
		if len(items) == 0 {
			return plenary.Invalid("agenda", "the agenda of %s has no items to adopt", m.Number)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE meetings SET agenda_state = ? WHERE id = ?", AgendaAdopted, m.ID); err != nil {
			return err
		}
		var list []map[string]any
		for _, it := range items {
			list = append(list, map[string]any{"item": it.ID, "number": it.Number, "title": it.Title})
		}
		return s.emit(ctx, tx, sc, m, "agenda.adopted", map[string]any{"title": m.Title, "items": list, "note": note})
	})
}

// SetCurrentItem moves the meeting to an item of its agenda ("" for none),
// while the meeting is in session or suspended.
func (s *Service) SetCurrentItem(ctx context.Context, sc *forum.Scope, ref, itemID string) (Meeting, error) {
	itemID = strings.TrimSpace(itemID)
	return s.agendaCommand(ctx, sc, ref, "meetings.SetCurrentItem", "", false, func(tx *store.Tx, sc *forum.Scope, m Meeting, items []AgendaItem, _ string) error {
		if !m.Sitting() {
			return plenary.Conflict("meeting %s is %s; the chair moves through the agenda only while it is in session or suspended",
				m.Number, strings.ToLower(m.StateLabel()))
		}
		var it AgendaItem
		if itemID != "" {
			var ok bool
			if it, ok = findItem(items, itemID); !ok {
				return plenary.Invalid("item", "no agenda item %q in meeting %s", itemID, m.Number)
			}
			if it.Dropped {
				return plenary.Invalid("item", "item %s was removed from the agenda", it.Number)
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE meetings SET current_item_id = ? WHERE id = ?", itemID, m.ID); err != nil {
			return err
		}
		if err := s.openFloorItem(ctx, tx, sc, m, it); err != nil {
			return err
		}
		return s.emit(ctx, tx, sc, m, "agenda.current_item_set", map[string]any{"item": it.ID, "item_number": it.Number, "title": it.Title,
			"was": m.CurrentItem})
	})
}

// items reads a meeting's agenda in order, numbered: siblings by
// position, each followed by its sub-items. Removed items keep their
// place and number so the record's numbers stay true; the items after
// them are not renumbered.
func (s *Service) items(ctx context.Context, q store.Querier, meetingID string) ([]AgendaItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, parent_id, position, title, minutes, links, dropped, amended, created_at
		FROM agenda_items WHERE meeting_id = ?`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	children := map[string][]AgendaItem{}
	for rows.Next() {
		var it AgendaItem
		var links string
		var at int64
		if err := rows.Scan(&it.ID, &it.ParentID, &it.Position, &it.Title, &it.Minutes, &links, &it.Dropped, &it.Amended, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(links), &it.Links); err != nil {
			return nil, fmt.Errorf("agenda item %s: links: %w", it.ID, err)
		}
		it.CreatedAt = time.UnixMilli(at).UTC()
		children[it.ParentID] = append(children[it.ParentID], it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []AgendaItem
	var walk func(parent, prefix string, depth int)
	walk = func(parent, prefix string, depth int) {
		kids := children[parent]
		sort.SliceStable(kids, func(i, j int) bool { return kids[i].Position < kids[j].Position })
		for i, it := range kids {
			it.Number = prefix + strconv.Itoa(i+1)
			it.Depth = depth
			out = append(out, it)
			walk(it.ID, it.Number+".", depth+1)
		}
	}
	walk("", "", 0)
	return out, nil
}
