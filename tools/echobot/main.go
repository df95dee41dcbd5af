// Command echobot is the baseline the load harness (tools/slackload) measures
// supportbot against: the least a Socket Mode bot built on slack-go can do.
// It reads the same environment as `supportbot run` (SLACK_APP_TOKEN,
// SLACK_BOT_TOKEN, SLACK_API_URL) and answers every question by echoing it,
// with no parsing, no policy and, by default, no store:
//
//   - a mention or a direct message is acked at once, then echoed with one
//     chat.postMessage (in the mention's thread);
//   - a slash command is echoed in its ack's payload, ephemeral.
//
// With -durable it first commits one bbolt record per question, fsynced,
// before the reply (for a slash command, before the ack that carries it):
// the floor of a bot that logs every question durably.
//
// With -durable-ack a mention or a direct message is acked only after its
// record is committed: commit, ack, then reply, all on a worker. It is the
// floor of a bot whose ack means "on record" (the ack is the inbox), which
// is what supportbot's ack latency is measured against.
//
// Replies run on a pool of -workers goroutines fed by a bounded queue, the
// same shape and defaults as supportbot's, so a comparison measures the code
// and not the concurrency.
package main

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	bolt "go.etcd.io/bbolt"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// bucketLog holds the durable records: sequence -> question.
var bucketLog = []byte("log")

func run(ctx context.Context, args []string, getenv func(string) string, _, stderr io.Writer) int {
	fs := flag.NewFlagSet("echobot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	durable := fs.Bool("durable", false, "commit one bbolt record, fsynced, before each reply")
	durableAck := fs.Bool("durable-ack", false, "commit one bbolt record, fsynced, before each ack (implies -durable)")
	dbPath := fs.String("db", "echobot.db", "bbolt file for -durable")
	workers := fs.Int("workers", 8, "replies in flight at once")
	queue := fs.Int("queue", 4096, "envelopes waiting for a worker")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: echobot [-durable | -durable-ack] [-db FILE] [-workers N]\n\nEnvironment: SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL (ending in /).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *workers < 1 || *queue < 1 {
		fs.Usage()
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	appToken, botToken, apiURL := getenv("SLACK_APP_TOKEN"), getenv("SLACK_BOT_TOKEN"), getenv("SLACK_API_URL")
	if appToken == "" || botToken == "" {
		fmt.Fprintln(stderr, "echobot: SLACK_APP_TOKEN and SLACK_BOT_TOKEN must be set")
		return 2
	}
	opts := []slack.Option{slack.OptionAppLevelToken(appToken)}
	if apiURL != "" {
		opts = append(opts, slack.OptionAPIURL(apiURL))
	}

	e := &echo{api: slack.New(botToken, opts...), log: log, ackAfterRecord: *durableAck}
	if *durable || *durableAck {
		db, err := bolt.Open(*dbPath, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			fmt.Fprintf(stderr, "echobot: %s: %v\n", *dbPath, err)
			return 1
		}
		defer func() { _ = db.Close() }()
		if err := db.Update(func(tx *bolt.Tx) error {
			_, err := tx.CreateBucketIfNotExists(bucketLog)
			return err
		}); err != nil {
			fmt.Fprintf(stderr, "echobot: %s: %v\n", *dbPath, err)
			return 1
		}
		e.db = db
	}
	e.sm = socketmode.New(e.api)
	if err := e.run(ctx, *workers, *queue); err != nil {
		log.Error("echobot stopped", "err", err)
		return 1
	}
	return 0
}

// echo is the bot. db is nil unless -durable or -durable-ack;
// ackAfterRecord is -durable-ack.
type echo struct {
	api            *slack.Client
	sm             *socketmode.Client
	db             *bolt.DB
	log            *slog.Logger
	ackAfterRecord bool
}

// run reads events until ctx ends, then waits for the replies queued.
func (e *echo) run(ctx context.Context, workers, queue int) error {
	sockCtx, stopSock := context.WithCancel(context.Background())
	defer stopSock()
	sockErr := make(chan error, 1)
	go func() { sockErr <- e.sm.RunContext(sockCtx) }()

	jobs := make(chan func(), queue)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for job := range jobs {
				job()
			}
		})
	}

	var err error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err = <-sockErr:
			break loop
		case ev := <-e.sm.Events:
			if job := e.handle(sockCtx, ev); job != nil {
				select {
				case jobs <- job:
				default:
					e.log.Error("queue full; envelope dropped")
				}
			}
		}
	}
	// Replies still queued are sent and acked before the socket closes.
	close(jobs)
	wg.Wait()
	stopSock()
	go func() {
		for range e.sm.Events {
		}
	}()
	return err
}

// handle acks an event at once and returns the reply to run on a worker, or
// nil. A slash command's reply is its ack.
func (e *echo) handle(ctx context.Context, ev socketmode.Event) func() {
	if ev.Request == nil || ev.Request.EnvelopeID == "" {
		return nil // hello, disconnect: nothing to ack
	}
	req := *ev.Request
	switch data := ev.Data.(type) {
	case slack.SlashCommand:
		return func() {
			if err := e.record(data.ChannelID, data.UserID, data.Text); err != nil {
				e.log.Error("record", "err", err)
				return
			}
			payload := map[string]any{"response_type": "ephemeral", "text": data.Text}
			if err := e.sm.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
				e.log.Error("ack", "err", err)
			}
		}
	case slackevents.EventsAPIEvent:
		ack := func() {
			if err := e.sm.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
				e.log.Error("ack", "err", err)
			}
		}
		if !e.ackAfterRecord {
			ack()
			ack = func() {}
		}
		var channel, user, text, thread string
		switch in := data.InnerEvent.Data.(type) {
		case *slackevents.AppMentionEvent:
			channel, user, text, thread = in.Channel, in.User, in.Text, in.TimeStamp
			if in.ThreadTimeStamp != "" {
				thread = in.ThreadTimeStamp
			}
		case *slackevents.MessageEvent:
			if in.BotID != "" || in.SubType != "" {
				ack()
				return nil
			}
			channel, user, text, thread = in.Channel, in.User, in.Text, in.ThreadTimeStamp
		default:
			ack()
			return nil
		}
		return func() {
			if err := e.record(channel, user, text); err != nil {
				e.log.Error("record", "err", err)
				return
			}
			ack()
			opts := []slack.MsgOption{slack.MsgOptionText(text, false)}
			if thread != "" {
				opts = append(opts, slack.MsgOptionTS(thread))
			}
			if _, _, err := e.api.PostMessageContext(ctx, channel, opts...); err != nil {
				e.log.Error("chat.postMessage", "err", err)
			}
		}
	default:
		if err := e.sm.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
			e.log.Error("ack", "err", err)
		}
		return nil
	}
}

// record commits one record in its own fsynced transaction; without -durable
// it does nothing.
func (e *echo) record(channel, user, text string) error {
	if e.db == nil {
		return nil
	}
	v := binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixNano()))
	for _, s := range []string{channel, user, text} {
		v = binary.AppendUvarint(v, uint64(len(s)))
		v = append(v, s...)
	}
	return e.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLog)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(nil, seq), v)
	})
}
