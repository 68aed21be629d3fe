{{/* Release-scoped names and labels. */}}
{{- define "catalens.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "catalens.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "ingest") */}}
{{- define "catalens.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "catalens.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "catalens.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "catalens.secretName" -}}
{{- default (printf "%s-secrets" (include "catalens.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* The image of a component; the embedder's GPU variant carries a suffix. */}}
{{- define "catalens.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- if and (eq .component "embedder") .root.Values.embedder.gpu.enabled -}}
{{- $tag = printf "%s%s" $tag .root.Values.embedder.gpu.imageSuffix -}}
{{- end -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .root.Values.image.repository $tag -}}
{{- end -}}

{{/* Environment of a component: settings from its ConfigMap, secrets by key. */}}
{{- define "catalens.env" -}}
- name: DATABASE_URL
  valueFrom: { secretKeyRef: { name: {{ include "catalens.secretName" .root }}, key: DATABASE_URL } }
{{- if ne .component "embedder" }}
- name: API_KEY_PEPPER
  valueFrom: { secretKeyRef: { name: {{ include "catalens.secretName" .root }}, key: API_KEY_PEPPER } }
{{- end }}
{{- if ne .component "ingest" }}
- name: QDRANT_API_KEY
  valueFrom: { secretKeyRef: { name: {{ include "catalens.secretName" .root }}, key: QDRANT_API_KEY, optional: true } }
{{- end }}
{{- end -}}

{{/* Probes: /healthz (alive), /readyz (dependencies up); the startup probe covers model loading. */}}
{{- define "catalens.probes" -}}
startupProbe:
  httpGet: { path: /healthz, port: http }
  periodSeconds: 5
  failureThreshold: {{ div (ternary .root.Values.embedder.startupSeconds 120 (eq .component "embedder")) 5 }}
livenessProbe:
  httpGet: { path: /healthz, port: http }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: { path: /readyz, port: http }
  periodSeconds: 5
  timeoutSeconds: 4
  failureThreshold: 3
{{- end -}}
