package feed

import (
	"context"
	"errors"
)

// Stacks tells the calendar what a Slack channel runs (what
// `/support track` recorded). The store implements it.
type Stacks interface {
	// Stack returns the products and versions channel tracks, in any order;
	// an empty slice and a nil error when it tracks nothing. The error is for
	// a store that cannot be read, not for an unknown channel.
	Stack(ctx context.Context, channel string) ([]StackItem, error)
}

// StackItem is one product a channel tracks.
type StackItem struct {
	Product string // a product id or alias of the policy ("konvoy")
	Version string // a cycle or a patch version ("1.8", "1.8.2")
}

// ErrNoStacks is returned for a channel's calendar when the server has no
// Stacks.
var ErrNoStacks = errors.New("channel stacks are not available")
