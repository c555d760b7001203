# The ALB's subnets: the only addresses whose X-Forwarded-* headers Mirage believes.
data "aws_subnet" "alb" {
  for_each = toset(var.public_subnet_ids)
  id       = each.value
}

resource "aws_s3_object" "config" {
  bucket       = aws_s3_bucket.mirage.bucket
  key          = "mirage.yml"
  content_type = "application/yaml"
  content = templatefile("${path.module}/mirage.yml.tftpl", {
    bucket                  = aws_s3_bucket.mirage.bucket
    domain                  = var.domain
    region                  = var.region
    default_task_definition = var.default_task_definition
    subnets                 = var.private_subnet_ids
    preview_security_group  = aws_security_group.previews.id
    trusted_proxies         = [for subnet in data.aws_subnet.alb : subnet.cidr_block]
    link_hosted_zone_id     = length(aws_route53_zone.link) > 0 ? aws_route53_zone.link[0].zone_id : ""
    allowed_email_suffix    = var.allowed_email_suffix
    alb_arn                 = aws_lb.mirage.arn
    events_queue_url        = var.enable_events_queue ? aws_sqs_queue.ecs_events[0].url : ""
    lease_table             = aws_dynamodb_table.lease.name
  })
}
