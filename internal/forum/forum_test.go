package forum_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

type fixture struct {
	st     *store.Store
	svc    *forum.Service
	signer *ledger.Signer
	admin  forum.Actor
	alice  forum.Actor
	ctx    context.Context
	told   map[string]int64
	mu     sync.Mutex
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := storetest.New(t)
	signer, err := ledger.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{st: st, signer: signer, ctx: context.Background(), told: map[string]int64{}}
	fx.svc = forum.New(st, signer, forum.Options{PasswordParams: account.FastParams, Announce: func(m map[string]int64) {
		fx.mu.Lock()
		defer fx.mu.Unlock()
		for c, s := range m {
			fx.told[c] = s
		}
	}})
	fx.admin = fx.user(t, "admin@example.org", "Ada Admin", true)
	fx.alice = fx.user(t, "alice@example.org", "Alice", false)
	return fx
}

func (fx *fixture) user(t *testing.T, email, name string, admin bool) forum.Actor {
	t.Helper()
	u, err := fx.svc.CreateUser(fx.ctx, forum.System, forum.NewUser{Email: email, Name: name, Password: "password-" + email, Admin: admin})
	if err != nil {
		t.Fatal(err)
	}
	return forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin}
}

func (fx *fixture) forum(t *testing.T, slug string) forum.Forum {
	t.Helper()
	f, err := fx.svc.CreateForum(fx.ctx, fx.admin, forum.ForumInput{Slug: slug, Title: "Forum " + slug, Kind: forum.KindPolicyForum})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCreateForumAppendsSignedEventAndAnnounces(t *testing.T) {
	fx := newFixture(t)
	f := fx.forum(t, "wtpf-13")
	evs, err := fx.st.EventsAfter(fx.ctx, f.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Type != "forum.created" || evs[0].Seq != 1 || evs[0].Visibility != ledger.VisPublic || evs[0].Actor != fx.admin.UserID {
		t.Fatalf("events = %+v", evs)
	}
	if !strings.Contains(string(evs[0].Payload), `"slug":"wtpf-13"`) {
		t.Errorf("payload %s lacks the slug", evs[0].Payload)
	}
	cp, err := fx.st.LatestCheckpoint(fx.ctx, f.ID)
	if err != nil {
		t.Fatalf("no checkpoint: %v", err)
	}
	if cp.Seq != 1 || cp.Hash != evs[0].Hash {
		t.Fatalf("checkpoint %+v does not sign the head %s", cp, evs[0].Hash)
	}
	if err := ledger.VerifyCheckpoint(fx.signer.Public(), cp); err != nil {
		t.Fatal(err)
	}
	fx.mu.Lock()
	told := fx.told[f.ID]
	fx.mu.Unlock()
	if told != 1 {
		t.Fatalf("subscribers told of seq %d, want 1", told)
	}
}

func TestCreateForumRejectsBadInputAndChangesNothing(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		in    forum.ForumInput
		field string
	}{
		{forum.ForumInput{Slug: "Bad Slug", Title: "T", Kind: forum.KindPolicyForum}, "slug"},
		{forum.ForumInput{Slug: "ok", Title: " ", Kind: forum.KindPolicyForum}, "title"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: "picnic"}, "kind"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, StartsOn: "14 May 2013"}, "starts_on"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, StartsOn: "2013-05-16", EndsOn: "2013-05-14"}, "ends_on"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, Languages: []string{"english"}}, "languages"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, DocPrefix: "<script>"}, "doc_prefix"},
		{forum.ForumInput{Slug: "ok", Title: strings.Repeat("x", 201), Kind: forum.KindPolicyForum}, "title"},
	}
	for _, tt := range tests {
		_, err := fx.svc.CreateForum(fx.ctx, fx.admin, tt.in)
		var es plenary.Errors
		if !errors.As(err, &es) {
			t.Errorf("%+v: err %v, want field errors", tt.in, err)
			continue
		}
		found := false
		for _, e := range es {
			found = found || e.Field == tt.field
		}
		if !found {
			t.Errorf("%+v: errors %v do not name %s", tt.in, es, tt.field)
		}
	}
	fs, err := fx.svc.Forums(fx.ctx)
	if err != nil || len(fs) != 0 {
		t.Fatalf("after rejected input: %d forums, err %v", len(fs), err)
	}
	chains, _ := fx.st.Chains(fx.ctx)
	for _, c := range chains {
		if c != ledger.SiteChain {
			t.Fatalf("a rejected command left chain %s", c)
		}
	}
}

func TestDuplicateSlugNamesTheField(t *testing.T) {
	fx := newFixture(t)
	fx.forum(t, "igf")
	_, err := fx.svc.CreateForum(fx.ctx, fx.admin, forum.ForumInput{Slug: "igf", Title: "Again", Kind: forum.KindOpenForum})
	var pe *plenary.Error
	if !errors.As(err, &pe) || pe.Field != "slug" || pe.Code != plenary.CodeInvalid {
		t.Fatalf("err = %v, want invalid slug", err)
	}
}

func TestOnlyTheSecretariatSetsUpForums(t *testing.T) {
	fx := newFixture(t)
	in := forum.ForumInput{Slug: "x", Title: "X", Kind: forum.KindPolicyForum}
	if _, err := fx.svc.CreateForum(fx.ctx, fx.alice, in); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Errorf("a delegate: %v, want forbidden", err)
	}
	if _, err := fx.svc.CreateForum(fx.ctx, forum.Anonymous, in); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Errorf("anonymous: %v, want unauthorized", err)
	}
	f := fx.forum(t, "y")
	if _, err := fx.svc.CreateBody(fx.ctx, fx.alice, f.Slug, forum.BodyInput{Slug: "wg1", Name: "WG1", Kind: "working_group"}); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Errorf("a delegate adding a body: %v, want forbidden", err)
	}
	if _, err := fx.svc.SetForumStatus(fx.ctx, fx.alice, f.Slug, forum.StatusOpen); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Errorf("a delegate opening the forum: %v, want forbidden", err)
	}
}

func TestBodiesAndStatus(t *testing.T) {
	fx := newFixture(t)
	f := fx.forum(t, "wcit-12")
	if _, err := fx.svc.CreateBody(fx.ctx, fx.admin, f.Slug, forum.BodyInput{Slug: "plenary", Name: "Plenary", Kind: "plenary"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.CreateBody(fx.ctx, fx.admin, f.Slug, forum.BodyInput{Slug: "com5", Name: "Committee 5", Kind: "committee", ParentSlug: "plenary"}); err != nil {
		t.Fatal(err)
	}
	_, err := fx.svc.CreateBody(fx.ctx, fx.admin, f.Slug, forum.BodyInput{Slug: "wg1", Name: "WG1", Kind: "working_group", ParentSlug: "nope"})
	if pe := plenary.AsError(err); pe.Field != "parent_slug" {
		t.Fatalf("unknown parent: %v", err)
	}
	_, err = fx.svc.CreateBody(fx.ctx, fx.admin, f.Slug, forum.BodyInput{Slug: "com5", Name: "Again", Kind: "committee"})
	if pe := plenary.AsError(err); pe.Field != "slug" {
		t.Fatalf("duplicate body: %v", err)
	}
	bs, err := fx.svc.Bodies(fx.ctx, f.ID)
	if err != nil || len(bs) != 2 || bs[1].ParentID != bs[0].ID {
		t.Fatalf("bodies %+v err %v", bs, err)
	}
	if _, err := fx.svc.SetForumStatus(fx.ctx, fx.admin, f.Slug, "party"); plenary.AsError(err).Field != "status" {
		t.Fatalf("bad status: %v", err)
	}
	f2, err := fx.svc.SetForumStatus(fx.ctx, fx.admin, f.Slug, forum.StatusOpen)
	if err != nil || f2.Status != forum.StatusOpen {
		t.Fatalf("open: %+v %v", f2, err)
	}
	head, _ := fx.st.Head(fx.ctx, f.ID)
	if head.Seq != 4 {
		t.Fatalf("head %d, want 4 events (created, 2 bodies, opened)", head.Seq)
	}
}

func TestVerifyChainNamesTheFirstTamperedEvent(t *testing.T) {
	fx := newFixture(t)
	f := fx.forum(t, "wtpf")
	for i := 0; i < 5; i++ {
		if _, err := fx.svc.CreateBody(fx.ctx, fx.admin, f.Slug, forum.BodyInput{Slug: fmt.Sprintf("b%d", i), Name: fmt.Sprintf("Body %d", i), Kind: "working_group"}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := fx.svc.VerifyChain(fx.ctx, f.ID)
	if err != nil || !rep.OK() || rep.Events != 6 || rep.Checkpoints != 6 {
		t.Fatalf("clean chain: %v %v", rep, err)
	}
	// Someone with database access rewrites history: event 4's name.
	if _, err := fx.st.ExecContext(fx.ctx, "UPDATE ledger_events SET payload = REPLACE(payload, 'Body 2', 'Body X') WHERE chain = ? AND seq = 4", f.ID); err != nil {
		t.Fatal(err)
	}
	rep, err = fx.svc.VerifyChain(fx.ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || rep.Failure.Seq != 4 {
		t.Fatalf("tampered chain: %v, want a failure at event 4", rep)
	}
}

func TestExportVerifiesAndRedacts(t *testing.T) {
	fx := newFixture(t)
	f := fx.forum(t, "wtpf")
	// A non-public event on the forum chain.
	if _, err := fx.st.Write(fx.ctx, func(tx *store.Tx) error {
		_, err := tx.Emit(fx.ctx, f.ID, fx.admin.UserID, "note.secret", ledger.VisSecretariat, map[string]string{"text": "the secret"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.CreateBody(fx.ctx, fx.admin, f.Slug, forum.BodyInput{Slug: "p", Name: "Plenary", Kind: "plenary"}); err != nil {
		t.Fatal(err)
	}
	var full, public bytes.Buffer
	if err := fx.svc.ExportLedger(fx.ctx, f.ID, &full, nil, ""); err != nil {
		t.Fatal(err)
	}
	if err := fx.svc.ExportLedger(fx.ctx, f.ID, &public, ledger.ShowPublic, "public"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(public.String(), "the secret") || !strings.Contains(full.String(), "the secret") {
		t.Fatal("the public export shows the secretariat's event, or the full export lacks it")
	}
	for name, b := range map[string][]byte{"full": full.Bytes(), "public": public.Bytes()} {
		rep, err := ledger.VerifyStream(bytes.NewReader(b), fx.signer.Public())
		if err != nil || !rep.OK() || rep.Events != 3 {
			t.Fatalf("%s export: %v %v", name, rep, err)
		}
	}
	// One changed byte in event 3's payload.
	bad := bytes.Replace(full.Bytes(), []byte(`"name":"Plenary"`), []byte(`"name":"Plenarx"`), 1)
	rep, _ := ledger.VerifyStream(bytes.NewReader(bad), fx.signer.Public())
	if rep.OK() || rep.Failure.Seq != 3 {
		t.Fatalf("tampered export: %v, want failure at 3", rep)
	}
}

// Commands racing on one chain get consecutive sequence numbers: no gap,
// no duplicate, one valid chain.
func TestConcurrentCommandsKeepOneChain(t *testing.T) {
	fx := newFixture(t)
	f := fx.forum(t, "busy")
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := fx.svc.CreateBody(fx.ctx, fx.admin, f.Slug, forum.BodyInput{Slug: fmt.Sprintf("g%d", i), Name: fmt.Sprintf("Group %d", i), Kind: "drafting_group"})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	rep, err := fx.svc.VerifyChain(fx.ctx, f.ID)
	if err != nil || !rep.OK() || rep.Events != n+1 {
		t.Fatalf("%v %v", rep, err)
	}
}

func TestUsersAndLogin(t *testing.T) {
	fx := newFixture(t)
	if _, err := fx.svc.CreateUser(fx.ctx, fx.alice, forum.NewUser{Email: "x@example.org", Name: "X", Password: "long enough pw"}); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Fatalf("non-admin creating a user: %v", err)
	}
	_, err := fx.svc.CreateUser(fx.ctx, fx.admin, forum.NewUser{Email: "ALICE@example.org ", Name: "Alice 2", Password: "long enough pw"})
	if pe := plenary.AsError(err); pe.Field != "email" {
		t.Fatalf("duplicate e-mail (other case): %v", err)
	}
	_, err = fx.svc.CreateUser(fx.ctx, fx.admin, forum.NewUser{Email: "not-an-address", Name: "", Password: "short"})
	var es plenary.Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("three bad fields: %v", err)
	}
	u, err := fx.svc.Authenticate(fx.ctx, " Alice@Example.org", "password-alice@example.org")
	if err != nil || u.ID != fx.alice.UserID {
		t.Fatalf("good login: %v %v", u, err)
	}
	_, errWrongPw := fx.svc.Authenticate(fx.ctx, "alice@example.org", "wrong password")
	_, errNoUser := fx.svc.Authenticate(fx.ctx, "nobody@example.org", "wrong password")
	if errWrongPw != forum.ErrBadLogin || errNoUser != forum.ErrBadLogin {
		t.Fatalf("wrong password %v / unknown user %v: want the same ErrBadLogin", errWrongPw, errNoUser)
	}
	// Passwords appear nowhere in the record or the tables but as hashes.
	var payloads []string
	if err := fx.st.ScanEvents(fx.ctx, ledger.SiteChain, func(ev ledger.Event) error {
		payloads = append(payloads, string(ev.Payload))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(payloads) < 2 {
		t.Fatalf("no user.created events: %v", payloads)
	}
	for _, p := range payloads {
		if strings.Contains(p, "password") || strings.Contains(p, "@example.org") {
			t.Errorf("site event carries a password or an e-mail address: %s", p)
		}
	}
	var hash string
	if err := fx.st.QueryRowContext(fx.ctx, "SELECT password_hash FROM users WHERE id = ?", fx.alice.UserID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "password-alice") {
		t.Fatalf("stored hash %q", hash)
	}
}

func TestSessions(t *testing.T) {
	fx := newFixture(t)
	u, _ := fx.svc.UserByID(fx.ctx, fx.alice.UserID)
	sess, err := fx.svc.StartSession(fx.ctx, u, 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	a, csrf, err := fx.svc.SessionActor(fx.ctx, sess.Secret)
	if err != nil || a.UserID != u.ID || csrf != sess.CSRFToken || a.Via != "session" {
		t.Fatalf("session: %+v %q %v", a, csrf, err)
	}
	var n int
	fx.st.QueryRowContext(fx.ctx, "SELECT COUNT(*) FROM sessions WHERE id_hash = ?", sess.Secret).Scan(&n)
	if n != 0 {
		t.Fatal("the session secret is stored in clear")
	}
	if err := fx.svc.EndSession(fx.ctx, sess.Secret); err != nil {
		t.Fatal(err)
	}
	if _, _, err := fx.svc.SessionActor(fx.ctx, sess.Secret); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("ended session still works: %v", err)
	}
	expired, _ := fx.svc.StartSession(fx.ctx, u, -1)
	if _, _, err := fx.svc.SessionActor(fx.ctx, expired.Secret); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("expired session works: %v", err)
	}
}

func TestAPITokens(t *testing.T) {
	fx := newFixture(t)
	tok, secret, err := fx.svc.CreateToken(fx.ctx, fx.alice, "my script")
	if err != nil || !strings.HasPrefix(secret, account.TokenPrefix) {
		t.Fatalf("%v %q", err, secret)
	}
	a, err := fx.svc.TokenActor(fx.ctx, secret)
	if err != nil || a.UserID != fx.alice.UserID || a.Via != "token" {
		t.Fatalf("token actor %+v %v", a, err)
	}
	var n int
	fx.st.QueryRowContext(fx.ctx, "SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?", secret).Scan(&n)
	if n != 0 {
		t.Fatal("the token is stored in clear")
	}
	if _, err := fx.svc.TokenActor(fx.ctx, secret+"x"); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("wrong token: %v", err)
	}
	bob := fx.user(t, "bob@example.org", "Bob", false)
	if err := fx.svc.RevokeToken(fx.ctx, bob, tok.ID); plenary.ErrorCode(err) != plenary.CodeNotFound {
		t.Fatalf("revoking someone else's token: %v", err)
	}
	if err := fx.svc.RevokeToken(fx.ctx, fx.alice, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.TokenActor(fx.ctx, secret); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("revoked token works: %v", err)
	}
	ts, err := fx.svc.Tokens(fx.ctx, fx.alice)
	if err != nil || len(ts) != 1 || ts[0].RevokedAt == nil || ts[0].LastUsedAt == nil {
		t.Fatalf("tokens %+v %v", ts, err)
	}
}

func TestCreateForumWithAPreset(t *testing.T) {
	fx := newFixture(t)
	_, err := fx.svc.CreateForum(fx.ctx, fx.admin, forum.ForumInput{Slug: "x", Title: "X", Kind: forum.KindPolicyForum, Preset: "anarchy"})
	if pe := plenary.AsError(err); pe.Field != "preset" {
		t.Fatalf("unknown preset: %v", err)
	}
	if fs, _ := fx.svc.Forums(fx.ctx); len(fs) != 0 {
		t.Fatal("a refused forum was created")
	}
	f, err := fx.svc.CreateForum(fx.ctx, fx.admin, forum.ForumInput{Slug: "netmundial", Title: "NETmundial", Kind: forum.KindPolicyForum, Preset: "multistakeholder_equal"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := fx.svc.ParticipationSettings(fx.ctx, f)
	if err != nil || st.Preset != "multistakeholder_equal" || !st.Chosen {
		t.Fatalf("settings %+v %v", st, err)
	}
	evs, _ := fx.st.EventsAfter(fx.ctx, f.ID, 0, 10)
	if len(evs) != 2 || evs[0].Type != "forum.created" || evs[1].Type != "rules.changed" {
		t.Fatalf("events %v", evs)
	}
	plain := fx.forum(t, "plain")
	if st, _ := fx.svc.ParticipationSettings(fx.ctx, plain); st.Chosen || st.Preset != "itu_policy_forum" {
		t.Fatalf("a forum without a preset: %+v", st)
	}
}
