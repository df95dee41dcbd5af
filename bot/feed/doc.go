// Package feed serves the policy's lifecycle where people already look for
// end-of-support dates: an iCalendar feed (/calendar.ics), and an
// endoflife.date-compatible JSON API (/api/v1/... and the older
// /api/{product}.json shape) for Renovate, the endoflife GitHub action,
// Backstage and scripts. It imports nothing of Slack or the store.
//
// # Lifecycle
//
// Everything the feed says about a cycle (released when, latest patch,
// ended when and by which release, expected to end when) comes from one
// adapter, lifecycle in lifecycle.go, over policy.Product.Lifecycle and
// Product.Status; the feed computes no support window of its own. The
// effective policy (the root model, not a Model.At view) is served, so the
// API says what is known today. Nothing is invented: a fact the
// policy does not hold is null (or left out) where the consumer's format
// allows it; where a format requires a value the policy lacks, the value
// served is documented in the README ("The endoflife.date API").
//
// # Caching
//
// The API renders every document of a policy generation once, the first
// time it is asked for (per base URL, since documents carry absolute links),
// and serves the bytes with a strong ETag and Last-Modified until the policy
// getter returns another *policy.Model. Reloads therefore show at once, and
// a request costs a map lookup.
//
// # Channel stacks
//
// /calendar.ics?channel=C123 asks a Stacks (consumer-owned, one method) for
// the cycles a channel tracks. The store implements it; without one the
// parameter is answered 404.
package feed
