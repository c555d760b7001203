# One wildcard certificate serves mirage.{domain} and every *.{domain}.
resource "aws_acm_certificate" "wildcard" {
  domain_name               = "*.${var.domain}"
  subject_alternative_names = [var.domain]
  validation_method         = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "certificate_validation" {
  for_each = {
    for option in aws_acm_certificate.wildcard.domain_validation_options : option.domain_name => option
  }
  zone_id         = var.public_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "wildcard" {
  certificate_arn         = aws_acm_certificate.wildcard.arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}

resource "aws_lb" "mirage" {
  name               = "mirage"
  load_balancer_type = "application"
  internal           = false
  security_groups    = [aws_security_group.alb.id]
  subnets            = var.public_subnet_ids
  # Preview environments may hold long requests (builds, websockets).
  idle_timeout = 300
}

resource "aws_lb_target_group" "mirage" {
  name        = "mirage"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    # Mirage answers "/" on its web API host; the ALB sends its own Host, which Mirage treats as the UI.
    path    = "/"
    matcher = "200-499"
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.mirage.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.wildcard.certificate_arn

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }
  }
}

# mirage.{domain}: the UI and API, behind the identity provider (mirage-ecs's auth.amzn_oidc reads x-amzn-oidc-data).
resource "aws_lb_listener_rule" "web_api" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10

  action {
    type = "authenticate-oidc"
    authenticate_oidc {
      issuer                     = var.oidc.issuer
      authorization_endpoint     = var.oidc.authorization_endpoint
      token_endpoint             = var.oidc.token_endpoint
      user_info_endpoint         = var.oidc.user_info_endpoint
      client_id                  = var.oidc.client_id
      client_secret              = var.oidc.client_secret
      on_unauthenticated_request = "authenticate"
      scope                      = "openid email"
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.mirage.arn
  }

  condition {
    host_header {
      values = ["mirage.${var.domain}"]
    }
  }
}

# *.{domain}: the preview environments, without OIDC (protect them with listen.http require_auth_cookie).
resource "aws_lb_listener_rule" "environments" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 20

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.mirage.arn
  }

  condition {
    host_header {
      values = ["*.${var.domain}"]
    }
  }
}

resource "aws_route53_record" "web_api" {
  zone_id = var.public_zone_id
  name    = "mirage.${var.domain}"
  type    = "A"

  alias {
    name                   = aws_lb.mirage.dns_name
    zone_id                = aws_lb.mirage.zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "environments" {
  zone_id = var.public_zone_id
  name    = "*.${var.domain}"
  type    = "A"

  alias {
    name                   = aws_lb.mirage.dns_name
    zone_id                = aws_lb.mirage.zone_id
    evaluate_target_health = false
  }
}
