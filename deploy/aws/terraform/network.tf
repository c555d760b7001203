resource "aws_security_group" "alb" {
  name        = "mirage-alb"
  description = "Mirage ALB: HTTPS from anywhere"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "To Mirage"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "mirage" {
  name        = "mirage"
  description = "Mirage: HTTP from the ALB; reaches preview tasks and AWS APIs"
  vpc_id      = var.vpc_id

  ingress {
    description     = "From the ALB"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }

  egress {
    description = "Preview tasks and AWS APIs"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Preview tasks only (Mirage is not in it): reachable from Mirage, and from each other only when mirage link is on.
resource "aws_security_group" "previews" {
  name        = "mirage-previews"
  description = "Preview tasks: any port from Mirage only (and from each other for mirage link)"
  vpc_id      = var.vpc_id

  ingress {
    description     = "From Mirage"
    from_port       = 0
    to_port         = 65535
    protocol        = "tcp"
    security_groups = [aws_security_group.mirage.id]
  }

  dynamic "ingress" {
    for_each = var.link_zone_name == "" ? [] : [true]
    content {
      description = "Between preview tasks (mirage link)"
      from_port   = 0
      to_port     = 65535
      protocol    = "tcp"
      self        = true
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_route53_zone" "link" {
  count = var.link_zone_name == "" ? 0 : 1
  name  = var.link_zone_name

  vpc {
    vpc_id = var.vpc_id
  }
}
