package bot

import (
	"context"

	"github.com/slack-go/slack"
)

// The App Home surface: the tab shows the support matrix and the upcoming
// expiries (HomeView), published when the user opens it. Nothing is owed:
// the next open publishes it again.

func (b *Bot) onHome(ctx context.Context, user string) {
	view := HomeView(b.cfg.Policy())
	if !b.side.run(func() {
		err := b.poster.retry(ctx, "views.publish", func(ctx context.Context) error {
			return b.poster.call(ctx, "views.publish", func(ctx context.Context) error {
				_, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
				return err
			})
		})
		if err != nil {
			b.log.Error("views.publish", "user", user, "err", err)
		}
	}) {
		b.log.Warn("App Home not published: too many calls in flight", "user", user)
	}
}
