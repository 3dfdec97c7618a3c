/** Manifests written for the Kubernetes tests (kubernetes.test.ts, kubernetes.int.test.ts). */

// A GitHub token shape: the secret scan refuses it anywhere else.
export const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(3)}abcdef`;

export const MANIFESTS = `# rendered by helm
apiVersion: apps/v1
kind: Deployment
metadata:
  name: labeling-api
  namespace: prod
spec:
  template:
    spec:
      serviceAccountName: labeling
      imagePullSecrets:
        - name: ghcr-pull
      volumes:
        - name: tls
          secret:
            secretName: api-tls
        - name: bundle
          projected:
            sources:
              - secret: { name: s3-reader }
              - configMap: { name: settings }
      initContainers:
        - name: migrate
          image: ghcr.io/Acme/migrate:2.1.0@sha256:${'ab'.repeat(32)}
      containers:
        - name: api
          image: acme/labeling-api:1.4.2
          env:
            - name: PORT
              value: "8080"
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: { name: db, key: password }
            - name: DB_USER
              valueFrom:
                secretKeyRef: { name: db, key: username }
          envFrom:
            - secretRef: { name: openai }
            - configMapRef: { name: settings }
        - name: sidecar
          image: nginx
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-export
  namespace: prod
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          automountServiceAccountToken: false
          containers:
            - name: export
              image: registry.acme.internal:5000/tools/exporter:v3
              envFrom:
                - secretRef: { name: s3-reader }
---
apiVersion: v1
kind: Secret
metadata:
  name: openai
  namespace: prod
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"OPENAI_API_KEY":"${TOKEN}"}}'
type: Opaque
stringData:
  OPENAI_API_KEY: ${TOKEN}
data:
  ORG: YWNtZQ==
---
apiVersion: v1
kind: Service
metadata:
  name: labeling-api
  namespace: prod
spec:
  ports: [{ port: 80 }]
---
`;

