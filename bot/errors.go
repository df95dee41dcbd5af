package bot

import (
	"errors"
	"strings"
)

// errNotRecorded is a question the store did not take: it is not answered.
var errNotRecorded = errors.New("question not recorded")

// errCommand is a subcommand (stats, history, …) that failed.
var errCommand = errors.New("command failed")

// userMessage is what a Slack user reads when err stopped the bot from
// answering: the one place an error becomes words for them. It says what
// happened and what to do, never the error's own text (which may name
// files, ids or URLs).
func userMessage(err error) Message {
	switch {
	case errors.Is(err, errNotRecorded):
		return Message{Text: "Sorry, I could not record your question just now, so I did not answer it. Please ask again in a moment."}
	case errors.Is(err, errCommand):
		return Message{Text: "Sorry, that command failed on my side just now. Please try again in a moment; if it keeps failing, tell the bot's admins."}
	default:
		return Message{Text: "Sorry, something went wrong on my side. Please try again in a moment."}
	}
}

// redactedURL stands for a response_url in logs: it is a capability (anyone
// holding it can post as the bot for 30 minutes).
const redactedURL = "[response_url]"

// redactURL returns err with url replaced, for logging; what err wraps
// (a timeout, a net.Error) still tells whether to retry.
func redactURL(err error, url string) error {
	if err == nil || url == "" || !strings.Contains(err.Error(), url) {
		return err
	}
	return &redacted{msg: strings.ReplaceAll(err.Error(), url, redactedURL), err: err}
}

type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }
