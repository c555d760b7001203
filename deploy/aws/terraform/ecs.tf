# Preview tasks and Mirage share one cluster: Mirage discovers it (and its subnets) from its own task metadata.
resource "aws_ecs_cluster" "previews" {
  name = "mirage"

  setting {
    name  = "containerInsights"
    value = "disabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "previews" {
  cluster_name       = aws_ecs_cluster.previews.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}

resource "aws_cloudwatch_log_group" "mirage" {
  name              = "/ecs/mirage"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "mirage" {
  family                   = "mirage"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "512"
  memory                   = "1024"
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = jsonencode([
    {
      name         = "mirage"
      image        = var.image
      essential    = true
      command      = ["-conf", "s3://${aws_s3_bucket.mirage.bucket}/mirage.yml"]
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
      environment  = [{ name = "AWS_REGION", value = var.region }]
      secrets      = [{ name = "MIRAGE_COOKIE_SECRET", valueFrom = var.cookie_secret_arn }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.mirage.name
          awslogs-region        = var.region
          awslogs-stream-prefix = "mirage"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "mirage" {
  name            = "mirage"
  cluster         = aws_ecs_cluster.previews.id
  task_definition = aws_ecs_task_definition.mirage.arn
  desired_count   = var.replicas
  launch_type     = "FARGATE"
  # Several replicas share intents (S3) and elect a leader (lease.tf): a rolling deployment keeps one serving, and
  # the one that stops gives its lease up; see docs/deploy.md.
  deployment_minimum_healthy_percent = 50
  deployment_maximum_percent         = 200
  enable_execute_command             = true

  # Mirage's group only: previews get their own (mirage.yml names it), so a preview can never reach what Mirage can.
  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.mirage.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.mirage.arn
    container_name   = "mirage"
    container_port   = 8080
  }

  depends_on = [aws_lb_listener.https, aws_s3_object.config]
}
