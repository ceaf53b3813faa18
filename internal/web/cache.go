package web

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/forum"
)

// Pages rendered for anonymous visitors are kept: they are the bulk of the
// traffic when a forum's new text is published and everyone opens it at
// once. A page under /forums/{slug} is kept until that forum's chain moves,
// any other page until any chain moves, and each for at most 30 seconds, so
// that time-driven changes (an embargo passing) show soon even before the
// periodic release records them. Only pages without a CSRF token are kept:
// forms are always rendered afresh. The cache is the kernel's mechanism
// (package cache), with its own bound of 32 MiB of pages.

func newPageCache(g *cache.Generations) *cache.Cache {
	return cache.New(g, cache.Options{MaxEntries: 20000, MaxBytes: 32 << 20, MaxAge: 30 * time.Second})
}

// cachedPage is a kept page.
type cachedPage struct {
	status int
	body   []byte
}

// pageKey is what a kept page is keyed by, or "" for a request whose page
// may not be kept.
type pageKey struct {
	chain, key string
	gen        int64
}

// cacheKey returns the key of a request whose page may be kept, or "".
func cacheKey(r *http.Request) string {
	if r.Method != http.MethodGet || forum.ActorFrom(r.Context()).LoggedIn() || flashFrom(r) != "" {
		return ""
	}
	return r.Header.Get("HX-Request") + "|" + r.Header.Get("HX-Target") + "|" + r.URL.RequestURI()
}

// pageChain is the chain a page depends on: the forum's, for a page under
// /forums/{slug} (the slug's forum is read once, then known); any chain's
// otherwise.
func (c *Core) pageChain(r *http.Request) string {
	rest, ok := strings.CutPrefix(r.URL.Path, "/forums/")
	if !ok {
		return cache.Any
	}
	slug, _, _ := strings.Cut(rest, "/")
	if f, err := c.svc.Kernel.ForumBySlug(r.Context(), slug); err == nil {
		return f.ID
	}
	return cache.Any
}

func (c *Core) keepPage(k pageKey, status int, body []byte, csrf string) {
	if k.key == "" || status != http.StatusOK || (csrf != "" && bytes.Contains(body, []byte(csrf))) {
		return
	}
	c.pages.Put(k.chain, k.key, k.gen, cachedPage{status: status, body: append([]byte(nil), body...)}, len(body))
}

// Kept returns the value kept for forum forumID under key, computing it
// when there is none: parts of pages derived from a forum's state (the
// participation summary, the activity list) are kept until its chain moves.
func Kept[T any](c *Core, forumID, key string, compute func() (T, error)) (T, error) {
	return cache.Get(c.svc.Kernel.Cache(), forumID, key, compute)
}
