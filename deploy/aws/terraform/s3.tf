resource "aws_s3_bucket" "mirage" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_public_access_block" "mirage" {
  bucket                  = aws_s3_bucket.mirage.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "mirage" {
  bucket = aws_s3_bucket.mirage.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "mirage" {
  bucket = aws_s3_bucket.mirage.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
