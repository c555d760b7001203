# The leader lease (docs/deploy.md, "Several replicas"): one item per Mirage, written only with conditional writes.
resource "aws_dynamodb_table" "lease" {
  name         = "mirage-lease"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "name"

  attribute {
    name = "name"
    type = "S"
  }
}

# Only UpdateItem on this table: heartbeats, taking, renewing and releasing the lease are all conditional updates.
data "aws_iam_policy_document" "task_lease" {
  statement {
    sid       = "LeaderLease"
    actions   = ["dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.lease.arn]
  }
}

resource "aws_iam_role_policy" "task_lease" {
  name   = "mirage-lease"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_lease.json
}
