package web_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The helpers that read pages, as the tests of the packages of pages
// (internal/web/participation) have them.

func pwParse(t *testing.T, body string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func pwAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// pwAll returns the elements with the given tag (any when "") whose
// attributes include every key=value in attrs (a value of "*" matches any).
func pwAll(n *html.Node, tag string, attrs ...string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (tag == "" || n.Data == tag) {
			ok := true
			for i := 0; i+1 < len(attrs); i += 2 {
				v, has := pwAttr(n, attrs[i])
				if !has || (attrs[i+1] != "*" && v != attrs[i+1]) {
					ok = false
				}
			}
			if ok {
				out = append(out, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}
