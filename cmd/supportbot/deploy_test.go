package main

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
)

// deployDir is the repository's deploy/ directory, relative to this package.
var deployDir = filepath.Join("..", "..", "deploy")

// deployKubernetesDir holds the kustomize base.
var deployKubernetesDir = filepath.Join(deployDir, "kubernetes")

// Files in deployKubernetesDir that are not resources of the kustomization.
const (
	deployKustomizationFile = "kustomization.yaml"
	deploySecretExampleFile = "secret.example.yaml"
)

// deployManifestKinds maps each kind the base may contain to its apiVersion and a
// constructor of the typed object it is strictly decoded into.
var deployManifestKinds = map[string]struct {
	apiVersion string
	newObject  func() any
}{
	"Namespace":             {"v1", func() any { return new(corev1.Namespace) }},
	"ServiceAccount":        {"v1", func() any { return new(corev1.ServiceAccount) }},
	"ConfigMap":             {"v1", func() any { return new(corev1.ConfigMap) }},
	"Secret":                {"v1", func() any { return new(corev1.Secret) }},
	"PersistentVolumeClaim": {"v1", func() any { return new(corev1.PersistentVolumeClaim) }},
	"Deployment":            {"apps/v1", func() any { return new(appsv1.Deployment) }},
	"Service":               {"v1", func() any { return new(corev1.Service) }},
}

// deployKustomization is the part of a kustomize Kustomization the base uses.
// Decoding is strict, so a field added to kustomization.yaml must be added here.
type deployKustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Namespace  string   `json:"namespace"`
	Resources  []string `json:"resources"`
	Labels     []struct {
		Pairs            map[string]string `json:"pairs"`
		IncludeSelectors bool              `json:"includeSelectors"`
		IncludeTemplates bool              `json:"includeTemplates"`
	} `json:"labels"`
	Images []struct {
		Name    string `json:"name"`
		NewName string `json:"newName"`
		NewTag  string `json:"newTag"`
		Digest  string `json:"digest"`
	} `json:"images"`
}

// deployManifests is every object of the base and the Secret template, by kind.
type deployManifests struct {
	namespaces      []*corev1.Namespace
	serviceAccounts []*corev1.ServiceAccount
	configMaps      []*corev1.ConfigMap
	secrets         []*corev1.Secret
	pvcs            []*corev1.PersistentVolumeClaim
	deployments     []*appsv1.Deployment
	services        []*corev1.Service
}

func (m *deployManifests) add(obj any) {
	switch o := obj.(type) {
	case *corev1.Namespace:
		m.namespaces = append(m.namespaces, o)
	case *corev1.ServiceAccount:
		m.serviceAccounts = append(m.serviceAccounts, o)
	case *corev1.ConfigMap:
		m.configMaps = append(m.configMaps, o)
	case *corev1.Secret:
		m.secrets = append(m.secrets, o)
	case *corev1.PersistentVolumeClaim:
		m.pvcs = append(m.pvcs, o)
	case *appsv1.Deployment:
		m.deployments = append(m.deployments, o)
	case *corev1.Service:
		m.services = append(m.services, o)
	}
}

// deployDocSeparator splits a multi-document YAML file.
var deployDocSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// deploySplitYAML returns the non-empty documents of a YAML stream; a document that
// holds only comments is empty.
func deploySplitYAML(t *testing.T, name string, data []byte) [][]byte {
	t.Helper()
	var docs [][]byte
	for _, doc := range deployDocSeparator.Split(string(data), -1) {
		j, err := yaml.YAMLToJSON([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s := strings.TrimSpace(string(j)); s == "null" || s == "" {
			continue
		}
		docs = append(docs, []byte(doc))
	}
	return docs
}

// deployUnmarshalStrict decodes the YAML document data into v, which must be a
// pointer, rejecting duplicate and unknown fields. yaml.UnmarshalStrict alone
// matches field names case-insensitively (it decodes with encoding/json), so a
// misspelt readOnlyRootFileSystem would pass; the second, case-sensitive
// decode with sigs.k8s.io/json is the one the Kubernetes API server does.
func deployUnmarshalStrict(data []byte, v any) error {
	if err := yaml.UnmarshalStrict(data, v); err != nil {
		return err
	}
	j, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return err
	}
	fresh := reflect.New(reflect.TypeOf(v).Elem()).Interface()
	strict, err := kjson.UnmarshalStrict(j, fresh)
	if err != nil {
		return err
	}
	return errors.Join(strict...)
}

// deployDecodeManifest strictly decodes one document into the k8s.io/api type of
// its kind: an unknown or misspelt field is an error.
func deployDecodeManifest(doc []byte) (any, error) {
	var meta struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &meta); err != nil {
		return nil, err
	}
	k, ok := deployManifestKinds[meta.Kind]
	if !ok {
		return nil, fmt.Errorf("unexpected kind %q", meta.Kind)
	}
	if meta.APIVersion != k.apiVersion {
		return nil, fmt.Errorf("%s: apiVersion %q, want %q", meta.Kind, meta.APIVersion, k.apiVersion)
	}
	obj := k.newObject()
	if err := deployUnmarshalStrict(doc, obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// deployLoadKubernetes reads the kustomization and every manifest of the base,
// failing the test on anything that does not decode strictly.
func deployLoadKubernetes(t *testing.T) (deployKustomization, []string, deployManifests) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployKubernetesDir, deployKustomizationFile))
	if err != nil {
		t.Fatal(err)
	}
	var k deployKustomization
	if err := deployUnmarshalStrict(data, &k); err != nil {
		t.Fatalf("%s: %v", deployKustomizationFile, err)
	}

	files, err := filepath.Glob(filepath.Join(deployKubernetesDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var m deployManifests
	for _, f := range files {
		name := filepath.Base(f)
		if name == deployKustomizationFile {
			continue
		}
		names = append(names, name)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs := deploySplitYAML(t, name, data)
		if len(docs) == 0 {
			t.Errorf("%s: no YAML document", name)
		}
		for i, doc := range docs {
			obj, err := deployDecodeManifest(doc)
			if err != nil {
				t.Errorf("%s document %d: %v", name, i+1, err)
				continue
			}
			m.add(obj)
		}
	}
	return k, names, m
}

func TestKubernetesManifests(t *testing.T) {
	k, files, m := deployLoadKubernetes(t)
	if t.Failed() {
		t.FailNow()
	}

	t.Run("Kustomization", func(t *testing.T) {
		if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
			t.Errorf("apiVersion/kind = %s/%s, want kustomize.config.k8s.io/v1beta1/Kustomization", k.APIVersion, k.Kind)
		}
		if k.Namespace != "supportbot" {
			t.Errorf("namespace = %q, want supportbot", k.Namespace)
		}
		for _, r := range k.Resources {
			if path.IsAbs(r) || strings.Contains(r, "..") {
				t.Errorf("resource %q: want a file of the base", r)
				continue
			}
			if _, err := os.Stat(filepath.Join(deployKubernetesDir, filepath.FromSlash(r))); err != nil {
				t.Errorf("resource %q: %v", r, err)
			}
		}
		for _, f := range files {
			listed := slices.Contains(k.Resources, f)
			switch {
			case f == deploySecretExampleFile && listed:
				t.Errorf("%s is listed in resources: apply -k would overwrite the real tokens", f)
			case f != deploySecretExampleFile && !listed:
				t.Errorf("%s is not listed in %s resources", f, deployKustomizationFile)
			}
		}
	})

	one := func(t *testing.T, kind string, n int) {
		t.Helper()
		if n != 1 {
			t.Fatalf("%d %s objects, want 1", n, kind)
		}
	}
	one(t, "Namespace", len(m.namespaces))
	one(t, "ServiceAccount", len(m.serviceAccounts))
	one(t, "ConfigMap", len(m.configMaps))
	one(t, "Secret", len(m.secrets))
	one(t, "PersistentVolumeClaim", len(m.pvcs))
	one(t, "Deployment", len(m.deployments))
	one(t, "Service", len(m.services))
	ns, sa, cm, secret, pvc, dep, svc := m.namespaces[0], m.serviceAccounts[0], m.configMaps[0],
		m.secrets[0], m.pvcs[0], m.deployments[0], m.services[0]

	if ns.Name != k.Namespace {
		t.Errorf("Namespace %q, kustomization namespace %q", ns.Name, k.Namespace)
	}

	t.Run("ServiceAccount", func(t *testing.T) {
		if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
			t.Error("automountServiceAccountToken is not false")
		}
	})

	t.Run("Secret", func(t *testing.T) {
		for _, key := range []string{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"} {
			v, ok := secret.StringData[key]
			if !ok {
				t.Errorf("stringData has no %s", key)
				continue
			}
			if !strings.Contains(v, "REPLACE-ME") {
				t.Errorf("stringData.%s = %q: the template must hold a placeholder, not a token", key, v)
			}
		}
		if len(secret.Data) != 0 {
			t.Error("the template has data; use stringData placeholders")
		}
	})

	t.Run("PersistentVolumeClaim", func(t *testing.T) {
		if !slices.Equal(pvc.Spec.AccessModes, []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}) {
			t.Errorf("accessModes = %v, want [ReadWriteOnce]", pvc.Spec.AccessModes)
		}
		if q, ok := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; !ok || q.IsZero() {
			t.Error("no storage request")
		}
	})

	pod := dep.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("Deployment has %d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]

	t.Run("Deployment", func(t *testing.T) {
		psc := pod.SecurityContext
		if psc == nil {
			psc = &corev1.PodSecurityContext{}
		}
		csc := c.SecurityContext
		if csc == nil {
			csc = &corev1.SecurityContext{}
		}
		tests := []struct {
			name string
			ok   bool
		}{
			{"replicas is 1", dep.Spec.Replicas != nil && *dep.Spec.Replicas == 1},
			{"strategy is Recreate", dep.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType},
			{"terminationGracePeriodSeconds is 30", deployPtrIs(pod.TerminationGracePeriodSeconds, 30)},
			{"serviceAccountName is the ServiceAccount", pod.ServiceAccountName == sa.Name},
			{"pod automountServiceAccountToken is false", deployPtrIs(pod.AutomountServiceAccountToken, false)},
			{"pod runAsNonRoot", deployPtrIs(psc.RunAsNonRoot, true)},
			{"pod runAsUser is 65532", deployPtrIs(psc.RunAsUser, 65532)},
			{"pod runAsGroup is 65532", deployPtrIs(psc.RunAsGroup, 65532)},
			{"pod fsGroup is 65532", deployPtrIs(psc.FSGroup, 65532)},
			{"pod seccompProfile is RuntimeDefault", psc.SeccompProfile != nil && psc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault},
			{"container allowPrivilegeEscalation is false", deployPtrIs(csc.AllowPrivilegeEscalation, false)},
			{"container readOnlyRootFilesystem", deployPtrIs(csc.ReadOnlyRootFilesystem, true)},
			{"container drops ALL capabilities", csc.Capabilities != nil && slices.Equal(csc.Capabilities.Drop, []corev1.Capability{"ALL"}) && len(csc.Capabilities.Add) == 0},
			{"container privileged is not set", csc.Privileged == nil || !*csc.Privileged},
			{"cpu request", deployHasResource(c.Resources.Requests, corev1.ResourceCPU)},
			{"memory request", deployHasResource(c.Resources.Requests, corev1.ResourceMemory)},
			{"memory limit", deployHasResource(c.Resources.Limits, corev1.ResourceMemory)},
			{"port http is 8080", slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == "http" && p.ContainerPort == 8080 })},
			{"liveness probe is GET /healthz on http", deployIsHTTPProbe(c.LivenessProbe, "/healthz", "http")},
			{"readiness probe is GET /readyz on http", deployIsHTTPProbe(c.ReadinessProbe, "/readyz", "http")},
			{"envFrom the Slack Secret", slices.ContainsFunc(c.EnvFrom, func(e corev1.EnvFromSource) bool { return e.SecretRef != nil && e.SecretRef.Name == secret.Name })},
			{"SUPPORTBOT_HTTP_ADDR is :8080", deployContainerEnv(c, "SUPPORTBOT_HTTP_ADDR") == ":8080"},
			{"SUPPORTBOT_LOG_FORMAT is json", deployContainerEnv(c, "SUPPORTBOT_LOG_FORMAT") == "json"},
			{"selector matches the pod labels", dep.Spec.Selector != nil && deployLabelsMatch(dep.Spec.Selector.MatchLabels, dep.Spec.Template.Labels)},
		}
		for _, tt := range tests {
			if !tt.ok {
				t.Error(tt.name + ": no")
			}
		}
	})

	t.Run("Volumes", func(t *testing.T) {
		dataVol, ok := deployVolumeAt(pod, c, "/data")
		if !ok {
			t.Fatal("no volume mounted at /data")
		}
		if dataVol.PersistentVolumeClaim == nil || dataVol.PersistentVolumeClaim.ClaimName != pvc.Name {
			t.Errorf("/data is not the PersistentVolumeClaim %q", pvc.Name)
		}
		if db := deployContainerEnv(c, "SUPPORTBOT_DB_PATH"); path.Dir(db) != "/data" {
			t.Errorf("SUPPORTBOT_DB_PATH = %q, want a file in /data", db)
		}

		policyPath := deployContainerEnv(c, "SUPPORTBOT_POLICY_FILE")
		policyVol, ok := deployVolumeAt(pod, c, path.Dir(policyPath))
		if !ok {
			t.Fatalf("SUPPORTBOT_POLICY_FILE = %q: its directory is not a volume mount", policyPath)
		}
		if policyVol.ConfigMap == nil || policyVol.ConfigMap.Name != cm.Name {
			t.Errorf("%s is not the ConfigMap %q", path.Dir(policyPath), cm.Name)
		}
		if _, ok := cm.Data[path.Base(policyPath)]; !ok {
			t.Errorf("ConfigMap %q has no key %q", cm.Name, path.Base(policyPath))
		}
		for _, vm := range c.VolumeMounts {
			if vm.MountPath == path.Dir(policyPath) && !vm.ReadOnly {
				t.Errorf("%s is not mounted readOnly", vm.MountPath)
			}
			if vm.SubPath != "" {
				t.Errorf("%s uses subPath: ConfigMap and volume updates would not reach the pod", vm.MountPath)
			}
		}
	})

	t.Run("ConfigMap", func(t *testing.T) {
		text := cm.Data["policy.yaml"]
		if strings.TrimSpace(text) == "" {
			t.Fatal("policy.yaml is empty")
		}
		// The shipped ConfigMap is a valid policy that says what the
		// embedded default says, so deploying it changes no answer.
		m, err := policy.Parse("configmap.yaml policy.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		def := policy.Default()
		for _, f := range policy.Grammar() {
			if got, want := m.Ask(f.Example), def.Ask(f.Example); got.Summary != want.Summary {
				t.Errorf("%q: ConfigMap policy answers %q, the default %q (regenerate it with supportbot policy dump)", f.Example, got.Summary, want.Summary)
			}
		}
	})

	t.Run("Service", func(t *testing.T) {
		if svc.Spec.Type != corev1.ServiceTypeClusterIP {
			t.Errorf("type = %q, want ClusterIP", svc.Spec.Type)
		}
		if !deployLabelsMatch(svc.Spec.Selector, dep.Spec.Template.Labels) {
			t.Errorf("selector %v does not match the pod labels %v", svc.Spec.Selector, dep.Spec.Template.Labels)
		}
		if !slices.ContainsFunc(svc.Spec.Ports, func(p corev1.ServicePort) bool {
			return p.Name == "http" && p.Port == 8080 && p.TargetPort.String() == "http"
		}) {
			t.Errorf("ports = %v, want http 8080 -> http", svc.Spec.Ports)
		}
		want := map[string]string{
			"prometheus.io/scrape": "true",
			"prometheus.io/port":   "8080",
			"prometheus.io/path":   "/metrics",
		}
		for k, v := range want {
			if got := svc.Annotations[k]; got != v {
				t.Errorf("annotation %s = %q, want %q", k, got, v)
			}
		}
	})
}

// TestKubernetesBackupPod checks that deploy/backup-pod.yaml mounts the bot's volume
// where the bot keeps its database, and that it is admitted in the restricted
// namespace.
func TestKubernetesBackupPod(t *testing.T) {
	_, _, m := deployLoadKubernetes(t)
	if t.Failed() || len(m.pvcs) != 1 || len(m.deployments) != 1 {
		t.Fatal("the kustomize base does not load; see TestKubernetesManifests")
	}
	name := filepath.Join(deployDir, "backup-pod.yaml")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var pod corev1.Pod
	if err := deployUnmarshalStrict(data, &pod); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if pod.APIVersion != "v1" || pod.Kind != "Pod" {
		t.Fatalf("%s: %s/%s, want v1/Pod", name, pod.APIVersion, pod.Kind)
	}
	if pod.Namespace != m.deployments[0].Namespace {
		t.Errorf("namespace %q, want %q", pod.Namespace, m.deployments[0].Namespace)
	}
	if deployLabelsMatch(m.services[0].Spec.Selector, pod.Labels) {
		t.Error("the Service selects the backup pod")
	}
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	v, ok := deployVolumeAt(pod.Spec, c, "/data")
	if !ok || v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != m.pvcs[0].Name {
		t.Errorf("/data is not the PersistentVolumeClaim %q", m.pvcs[0].Name)
	}
	psc, csc := pod.Spec.SecurityContext, c.SecurityContext
	if psc == nil || csc == nil ||
		!deployPtrIs(psc.RunAsNonRoot, true) || !deployPtrIs(psc.RunAsUser, 65532) ||
		psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault ||
		!deployPtrIs(csc.AllowPrivilegeEscalation, false) ||
		csc.Capabilities == nil || !slices.Equal(csc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
		t.Error("the pod does not meet the restricted Pod Security Standard as user 65532")
	}
}

// deployPtrIs reports whether the optional p is set to want.
func deployPtrIs[T comparable](p *T, want T) bool { return p != nil && *p == want }

func deployHasResource(l corev1.ResourceList, name corev1.ResourceName) bool {
	q, ok := l[name]
	return ok && !q.IsZero()
}

func deployIsHTTPProbe(p *corev1.Probe, urlPath, port string) bool {
	return p != nil && p.HTTPGet != nil && p.HTTPGet.Path == urlPath && p.HTTPGet.Port.String() == port
}

// deployContainerEnv returns the value the container sets for name, "" if none.
func deployContainerEnv(c corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// deployLabelsMatch reports whether every selector label is on labels.
func deployLabelsMatch(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// deployVolumeAt returns the pod volume mounted at mountPath in c.
func deployVolumeAt(pod corev1.PodSpec, c corev1.Container, mountPath string) (corev1.Volume, bool) {
	for _, vm := range c.VolumeMounts {
		if vm.MountPath != mountPath {
			continue
		}
		for _, v := range pod.Volumes {
			if v.Name == vm.Name {
				return v, true
			}
		}
	}
	return corev1.Volume{}, false
}

// slackAppManifest is the part of Slack's app manifest format that
// deploy/slack-app-manifest.yaml uses. Decoding is strict, so a field added to
// the manifest must be added here.
type slackAppManifest struct {
	Metadata struct {
		MajorVersion int `json:"major_version"`
		MinorVersion int `json:"minor_version"`
	} `json:"_metadata"`
	DisplayInformation struct {
		Name            string `json:"name"`
		Description     string `json:"description"`
		LongDescription string `json:"long_description"`
		BackgroundColor string `json:"background_color"`
	} `json:"display_information"`
	Features struct {
		AppHome struct {
			HomeTabEnabled             bool `json:"home_tab_enabled"`
			MessagesTabEnabled         bool `json:"messages_tab_enabled"`
			MessagesTabReadOnlyEnabled bool `json:"messages_tab_read_only_enabled"`
		} `json:"app_home"`
		BotUser struct {
			DisplayName  string `json:"display_name"`
			AlwaysOnline bool   `json:"always_online"`
		} `json:"bot_user"`
		SlashCommands []struct {
			Command      string `json:"command"`
			Description  string `json:"description"`
			UsageHint    string `json:"usage_hint"`
			ShouldEscape bool   `json:"should_escape"`
		} `json:"slash_commands"`
	} `json:"features"`
	OAuthConfig struct {
		Scopes struct {
			Bot []string `json:"bot"`
		} `json:"scopes"`
	} `json:"oauth_config"`
	Settings struct {
		EventSubscriptions struct {
			BotEvents []string `json:"bot_events"`
		} `json:"event_subscriptions"`
		Interactivity struct {
			IsEnabled bool `json:"is_enabled"`
		} `json:"interactivity"`
		OrgDeployEnabled     bool `json:"org_deploy_enabled"`
		SocketModeEnabled    bool `json:"socket_mode_enabled"`
		TokenRotationEnabled bool `json:"token_rotation_enabled"`
	} `json:"settings"`
}

// readSlackAppManifest strictly decodes deploy/slack-app-manifest.yaml.
func readSlackAppManifest(t *testing.T) slackAppManifest {
	t.Helper()
	name := filepath.Join(deployDir, "slack-app-manifest.yaml")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var m slackAppManifest
	if err := deployUnmarshalStrict(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// slackManifest returns what the Slack app manifest grants and subscribes to:
// bot scopes, bot events, slash commands, and whether Socket Mode is on.
func slackManifest(t *testing.T) (scopes, events []string, slashCommands []string, socketMode bool) {
	t.Helper()
	m := readSlackAppManifest(t)
	for _, c := range m.Features.SlashCommands {
		slashCommands = append(slashCommands, c.Command)
	}
	return m.OAuthConfig.Scopes.Bot, m.Settings.EventSubscriptions.BotEvents, slashCommands, m.Settings.SocketModeEnabled
}

// Bot scopes and events the manifest must hold, no more and no less.
var (
	wantSlackScopes    = bot.Scopes()
	wantSlackBotEvents = bot.HandledEvents()
)

// checkSubscribedEvents reports each event the bot handles that the manifest
// does not subscribe to (Slack would never send it) and each subscribed event
// the bot does not handle (Slack would send it for nothing). Both lists use the
// manifest's names: a direct message is "message.im", not "message".
func checkSubscribedEvents(t *testing.T, subscribed, handled []string) {
	t.Helper()
	for _, e := range handled {
		if !slices.Contains(subscribed, e) {
			t.Errorf("event %q is handled but not subscribed to in the Slack app manifest", e)
		}
	}
	for _, e := range subscribed {
		if !slices.Contains(handled, e) {
			t.Errorf("event %q is subscribed to in the Slack app manifest but not handled", e)
		}
	}
}

func TestSlackAppManifest(t *testing.T) {
	m := readSlackAppManifest(t)
	scopes, events, commands, socketMode := slackManifest(t)

	if !socketMode {
		t.Error("socket_mode_enabled is not true")
	}
	if !m.Settings.Interactivity.IsEnabled {
		t.Error("interactivity is not enabled: the Share in channel button would not work")
	}
	if !m.Features.AppHome.HomeTabEnabled {
		t.Error("home_tab_enabled is not true")
	}
	if !m.Features.AppHome.MessagesTabEnabled || m.Features.AppHome.MessagesTabReadOnlyEnabled {
		t.Error("the messages tab must be enabled and writable for direct messages")
	}
	if m.Features.BotUser.DisplayName == "" {
		t.Error("no bot_user display_name: the app would have no bot user")
	}
	if got := deploySorted(scopes); !slices.Equal(got, deploySorted(wantSlackScopes)) {
		t.Errorf("bot scopes = %v, want %v", got, deploySorted(wantSlackScopes))
	}
	checkSubscribedEvents(t, events, wantSlackBotEvents)
	if !slices.Equal(commands, []string{"/support"}) {
		t.Errorf("slash commands = %v, want [/support]", commands)
	}
	for _, c := range m.Features.SlashCommands {
		if c.ShouldEscape {
			t.Errorf("%s: should_escape is true; the bot escapes user text itself", c.Command)
		}
		if c.Description == "" {
			t.Errorf("%s: no description", c.Command)
		}
	}
}

func deploySorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
