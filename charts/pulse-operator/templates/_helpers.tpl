{{- define "pulse.fullname" -}}
{{- printf "%s" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pulse.labels" -}}
app.kubernetes.io/name: pulse-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: pulse
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "pulse.selectorLabels" -}}
app.kubernetes.io/name: pulse-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pulse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ default (include "pulse.fullname" .) .Values.serviceAccount.name }}{{- else -}}{{ default "default" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{/* serviceMonitor.labels as key=value,key2=value2 (what the operator's MonitoringLabels parses). */}}
{{- define "pulse.monitoringLabels" -}}
{{- $pairs := list -}}
{{- range $k, $v := .Values.serviceMonitor.labels -}}{{- $pairs = append $pairs (printf "%s=%s" $k $v) -}}{{- end -}}
{{- join "," $pairs -}}
{{- end -}}
