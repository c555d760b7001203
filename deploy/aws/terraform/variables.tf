variable "region" {
  description = "AWS region for everything Mirage runs."
  type        = string
}

variable "domain" {
  description = "Preview domain: the UI is mirage.{domain}, environments are {subdomain}.{domain}. A Route53 public zone for it must exist."
  type        = string
}

variable "public_zone_id" {
  description = "Route53 public hosted zone of var.domain (ALB aliases and ACM validation records go there)."
  type        = string
}

variable "vpc_id" {
  description = "VPC Mirage and the preview tasks run in."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets of the internet-facing ALB (two or more AZs)."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Subnets of Mirage and the preview tasks (need a NAT gateway or VPC endpoints for ECR, S3, logs)."
  type        = list(string)
}

variable "image" {
  description = "Mirage container image (build deploy/Dockerfile and push it to ECR)."
  type        = string
}

variable "bucket_name" {
  description = "S3 bucket for mirage.yml, html templates and intents."
  type        = string
}

variable "preview_task_role_arns" {
  description = "Task and execution roles of the preview task definitions; Mirage may pass only these (iam:PassRole)."
  type        = list(string)
}

variable "oidc" {
  description = "OIDC identity provider for the ALB's authenticate-oidc action on mirage.{domain}."
  type = object({
    issuer                 = string
    authorization_endpoint = string
    token_endpoint         = string
    user_info_endpoint     = string
    client_id              = string
    client_secret          = string
  })
  sensitive = true
}

variable "link_zone_name" {
  description = "Private hosted zone for mirage link records ({container}.{subdomain}.{zone}); empty to disable link."
  type        = string
  default     = ""
}

variable "default_task_definition" {
  description = "Task definition family launched when a launch names none (ecs.default_task_definition)."
  type        = string
}

variable "allowed_email_suffix" {
  description = "Who may use Mirage: the OIDC email claim must end with this, e.g. \"@example.net\"."
  type        = string
}

variable "cookie_secret_arn" {
  description = "Secrets Manager secret (a long random string) that signs the mirage-ecs-auth cookie; given to Mirage as MIRAGE_COOKIE_SECRET."
  type        = string
}

variable "replicas" {
  description = "Mirage tasks behind the ALB. One leads (a lease in DynamoDB) and reconciles; every one serves the API, UI and previews. 1 still uses the lease."
  type        = number
  default     = 2
}
