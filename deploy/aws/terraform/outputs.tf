output "web_api_url" {
  value = "https://mirage.${var.domain}/"
}

output "bucket" {
  value = aws_s3_bucket.mirage.bucket
}

output "cluster" {
  value = aws_ecs_cluster.previews.name
}

output "link_hosted_zone_id" {
  value = length(aws_route53_zone.link) > 0 ? aws_route53_zone.link[0].zone_id : ""
}

output "preview_security_group_id" {
  value = aws_security_group.previews.id
}

output "alb_arn" {
  description = "The ALB whose OIDC tokens Mirage accepts (auth.amzn_oidc.alb_arn in mirage.yml)."
  value       = aws_lb.mirage.arn
}

output "mirage_security_group_id" {
  value = aws_security_group.mirage.id
}
