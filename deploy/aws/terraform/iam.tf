locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  cluster   = "arn:${local.partition}:ecs:${var.region}:${local.account}:cluster/${aws_ecs_cluster.previews.name}"
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Pulls the image and writes Mirage's own logs.
resource "aws_iam_role" "execution" {
  name               = "mirage-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

# The execution role reads the cookie secret to hand it to the container (task definition secrets).
data "aws_iam_policy_document" "execution_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.cookie_secret_arn]
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "mirage-cookie-secret"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# What Mirage itself may do: only what the code calls.
resource "aws_iam_role" "task" {
  name               = "mirage-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "RunPreviewTasks"
    actions   = ["ecs:RunTask"]
    resources = ["arn:${local.partition}:ecs:${var.region}:${local.account}:task-definition/*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.cluster]
    }
  }

  statement {
    sid       = "ManagePreviewTasks"
    actions   = ["ecs:StopTask", "ecs:DescribeTasks", "ecs:TagResource"]
    resources = ["arn:${local.partition}:ecs:${var.region}:${local.account}:task/${aws_ecs_cluster.previews.name}/*"]
  }

  statement {
    sid       = "ListAndDiscover"
    actions   = ["ecs:ListTasks"]
    resources = ["arn:${local.partition}:ecs:${var.region}:${local.account}:container-instance/${aws_ecs_cluster.previews.name}/*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.cluster]
    }
  }

  statement {
    sid       = "DescribeServices"
    actions   = ["ecs:DescribeServices"]
    resources = ["arn:${local.partition}:ecs:${var.region}:${local.account}:service/${aws_ecs_cluster.previews.name}/*"]
  }

  statement {
    # DescribeTaskDefinition supports no resource-level permissions.
    sid       = "DescribeTaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "PassPreviewRoles"
    actions   = ["iam:PassRole"]
    resources = var.preview_task_role_arns
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid       = "ReadPreviewLogs"
    actions   = ["logs:GetLogEvents"]
    resources = ["arn:${local.partition}:logs:${var.region}:${local.account}:log-group:*:log-stream:*"]
  }

  statement {
    # PutMetricData and GetMetricData support no resource-level permissions; the namespace is pinned.
    sid       = "PutAccessCounts"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["mirage-ecs"]
    }
  }

  statement {
    sid       = "ReadAccessCounts"
    actions   = ["cloudwatch:GetMetricData"]
    resources = ["*"]
  }

  statement {
    sid     = "StateBucketObjects"
    actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [
      "${aws_s3_bucket.mirage.arn}/*",
    ]
  }

  statement {
    sid       = "StateBucketList"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.mirage.arn]
  }

  dynamic "statement" {
    for_each = aws_route53_zone.link
    content {
      sid       = "LinkRecords"
      actions   = ["route53:GetHostedZone", "route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"]
      resources = [statement.value.arn]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "mirage"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
