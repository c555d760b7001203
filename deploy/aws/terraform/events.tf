# The watch (issue 13): ECS Task State Change events of the preview cluster go to an SQS queue that Mirage long-polls
# (ecs.events_queue_url), so a task that stops on AWS is replaced within seconds and the full listing of the cluster
# runs only every 5 minutes. Off with enable_events_queue = false; Mirage then relies on its 30 s resync.

variable "enable_events_queue" {
  description = "Create the EventBridge rule and SQS queue Mirage watches for ECS task state changes; config.tf writes its URL into mirage.yml (ecs.events_queue_url)."
  type        = bool
  default     = true
}

resource "aws_sqs_queue" "ecs_events_dead_letters" {
  count                     = var.enable_events_queue ? 1 : 0
  name                      = "mirage-ecs-events-dead-letters"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "ecs_events" {
  count = var.enable_events_queue ? 1 : 0
  name  = "mirage-ecs-events"
  # An event older than the resync interval is stale news: the resync has seen its effect.
  message_retention_seconds  = 3600
  receive_wait_time_seconds  = 20
  visibility_timeout_seconds = 60
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.ecs_events_dead_letters[0].arn
    maxReceiveCount     = 5
  })
}

resource "aws_cloudwatch_event_rule" "ecs_task_state_change" {
  count       = var.enable_events_queue ? 1 : 0
  name        = "mirage-ecs-task-state-change"
  description = "ECS Task State Change events of the Mirage cluster, for Mirage's task cache."
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Task State Change"]
    detail = {
      clusterArn = [local.cluster]
    }
  })
}

resource "aws_cloudwatch_event_target" "ecs_task_state_change" {
  count = var.enable_events_queue ? 1 : 0
  rule  = aws_cloudwatch_event_rule.ecs_task_state_change[0].name
  arn   = aws_sqs_queue.ecs_events[0].arn
}

# Only this rule may send to the queue.
data "aws_iam_policy_document" "ecs_events_queue" {
  count = var.enable_events_queue ? 1 : 0
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.ecs_events[0].arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.ecs_task_state_change[0].arn]
    }
  }
}

resource "aws_sqs_queue_policy" "ecs_events" {
  count     = var.enable_events_queue ? 1 : 0
  queue_url = aws_sqs_queue.ecs_events[0].id
  policy    = data.aws_iam_policy_document.ecs_events_queue[0].json
}

# Mirage reads and deletes the events, nothing else.
data "aws_iam_policy_document" "task_events" {
  count = var.enable_events_queue ? 1 : 0
  statement {
    sid       = "WatchEcsEvents"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.ecs_events[0].arn]
  }
}

resource "aws_iam_role_policy" "task_events" {
  count  = var.enable_events_queue ? 1 : 0
  name   = "mirage-ecs-events"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_events[0].json
}

output "events_queue_url" {
  description = "The queue Mirage watches (ecs.events_queue_url, written into mirage.yml by config.tf; empty when enable_events_queue is false)."
  value       = var.enable_events_queue ? aws_sqs_queue.ecs_events[0].url : ""
}
