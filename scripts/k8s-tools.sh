#!/usr/bin/env bash
# The Kubernetes tooling the chart checks need, built from source through the Go module proxy into
# .cache/tools (git-ignored); nothing is downloaded from anywhere else.
#   helm          helm.sh/helm/v3            (go install)
#   kubeconform   github.com/yannh/kubeconform (go install)
#   schemas       Kubernetes JSON schemas generated from the OpenAPI document in the
#                 k8s.io/cli-runtime module (scripts/k8s/json-schemas.mjs), and custom-resource
#                 schemas from the CRDs in the KEDA, Prometheus operator and CloudNativePG modules
#                 (scripts/k8s/crd-schemas.mjs). Strimzi is a Java project with no Go module: its
#                 Kafka/KafkaTopic/KafkaNodePool resources are skipped by name (the tests say so).
# Usage: scripts/k8s-tools.sh ensure   → prints HELM=…, KUBECONFORM=…, K8S_SCHEMAS=… lines
set -euo pipefail
cd "$(dirname "$0")/.."
HELM_VERSION=v3.19.0
KUBECONFORM_VERSION=v0.7.0
OPENAPI_MODULE=k8s.io/cli-runtime@v0.34.0
# module@version path-of-the-CRD-inside-it
CRDS=(
  "github.com/kedacore/keda/v2@v2.17.2 config/crd/bases/keda.sh_scaledobjects.yaml"
  "github.com/prometheus-operator/prometheus-operator@v0.85.0 example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"
  "github.com/cloudnative-pg/cloudnative-pg@v1.27.0 config/crd/bases/postgresql.cnpg.io_clusters.yaml"
)
TOOLS="$PWD/.cache/tools"
BIN="$TOOLS/bin"
SCHEMAS="$TOOLS/k8s-schemas/$OPENAPI_MODULE"
CRD_SCHEMAS="$TOOLS/k8s-schemas/crds"

module_dir() {
  go mod download -json "$1" | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const m=JSON.parse(s);if(m.Error){console.error(m.Error);process.exit(1)}process.stdout.write(m.Dir)})'
}

ensure() {
  command -v go >/dev/null || { echo "k8s-tools: go is not installed (needed to build helm and kubeconform)" >&2; exit 1; }
  mkdir -p "$BIN"
  # Source builds report no release version; a stamp file records what was built.
  local stamp="$BIN/.built" want="helm $HELM_VERSION kubeconform $KUBECONFORM_VERSION"
  if [ ! -x "$BIN/helm" ] || [ ! -x "$BIN/kubeconform" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "k8s-tools: building helm $HELM_VERSION and kubeconform $KUBECONFORM_VERSION from the Go module proxy (a few minutes, once)" >&2
    GOBIN="$BIN" GOFLAGS=-mod=mod go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
    GOBIN="$BIN" GOFLAGS=-mod=mod go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" >&2
    echo "$want" > "$stamp"
  fi
  if [ ! -f "$SCHEMAS/deployment-apps-v1.json" ]; then
    node scripts/k8s/json-schemas.mjs "$(module_dir "$OPENAPI_MODULE")/artifacts/openapi/swagger.json" "$SCHEMAS" >&2
  fi
  if [ ! -f "$CRD_SCHEMAS/scaledobject-keda-v1alpha1.json" ]; then
    local files=() entry
    for entry in "${CRDS[@]}"; do
      files+=("$(module_dir "${entry%% *}")/${entry#* }")
    done
    node scripts/k8s/crd-schemas.mjs "$CRD_SCHEMAS" "${files[@]}" >&2
  fi
  echo "HELM=$BIN/helm"
  echo "KUBECONFORM=$BIN/kubeconform"
  echo "K8S_SCHEMAS=$SCHEMAS"
  echo "K8S_CRD_SCHEMAS=$CRD_SCHEMAS"
}

case "${1:-}" in
  ensure) ensure ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
