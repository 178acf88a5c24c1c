{{/* Names and labels, as `helm create` makes them. */}}
{{- define "tessera.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tessera.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tessera.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "tessera.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "tessera.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tessera.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "tessera.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tessera.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "tessera.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "tessera.secretName" -}}
{{- default (include "tessera.fullname" .) .Values.tessera.existingSecret }}
{{- end }}

{{/* The environment every Tessera container gets: secrets by reference, never inline. */}}
{{- define "tessera.env" -}}
{{- $secret := include "tessera.secretName" . }}
- name: DSN
  valueFrom: { secretKeyRef: { name: {{ $secret }}, key: dsn } }
- name: SECRETS_COOKIE
  valueFrom: { secretKeyRef: { name: {{ $secret }}, key: secretsCookie, optional: true } }
- name: SECRETS_CIPHER
  valueFrom: { secretKeyRef: { name: {{ $secret }}, key: secretsCipher, optional: true } }
- name: SECRETS_DEFAULT
  valueFrom: { secretKeyRef: { name: {{ $secret }}, key: secretsDefault, optional: true } }
- name: COURIER_SMTP_CONNECTION_URI
  valueFrom: { secretKeyRef: { name: {{ $secret }}, key: smtpConnectionUri, optional: true } }
- name: REDIS_URL
  valueFrom: { secretKeyRef: { name: {{ $secret }}, key: redisUrl, optional: true } }
{{- with .Values.tessera.identitySchemas }}
- name: IDENTITY_SCHEMAS
  value: {{ include "tessera.identitySchemasEnv" $ | quote }}
{{- end }}
{{- with .Values.tessera.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "tessera.identitySchemasEnv" -}}
{{- $schemas := list }}
{{- range $id, $_ := .Values.tessera.identitySchemas }}
{{- $schemas = append $schemas (dict "id" $id "url" (printf "file:///etc/tessera/identity-schemas/%s.schema.json" $id)) }}
{{- end }}
{{- toJson $schemas }}
{{- end }}

{{/* The pod template parts the API and the courier worker share. */}}
{{- define "tessera.podCommon" -}}
serviceAccountName: {{ include "tessera.serviceAccountName" . }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "tessera.volumes" -}}
- name: config
  configMap:
    name: {{ include "tessera.fullname" . }}
    items:
      - key: tessera.yml
        path: tessera.yml
      {{- range $id, $_ := .Values.tessera.identitySchemas }}
      - key: identity-schema-{{ $id }}.json
        path: identity-schemas/{{ $id }}.schema.json
      {{- end }}
- name: tmp
  emptyDir: {}
{{- end }}

{{- define "tessera.volumeMounts" -}}
- name: config
  mountPath: /etc/tessera
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end }}
