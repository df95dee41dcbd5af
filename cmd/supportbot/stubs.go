package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/d2iq/supportbot/policy"
)

func cmdRun(context.Context, env, []string) (int, error) { return 1, errors.New("not built yet") }

func configUsage() string { return "" }

func writeBlocks(w io.Writer, a policy.Answer) error { return json.NewEncoder(w).Encode(a) }
