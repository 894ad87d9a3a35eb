import CloudMap
import Foundation
import Testing

/// The published AWS SigV4 test-suite cases (get-vanilla, post-vanilla, post-x-www-form-urlencoded,
/// get-vanilla-query-order-key-case) and the IAM ListUsers example of the SigV4 documentation.
@Suite struct SigV4SignerTests {
    static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let amzDate = "20150830T123600Z"

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var service: String
        var request: SigV4Signer.Request
        var canonicalRequest: String
        var stringToSign: String
        var signature: String
        var testDescription: String { name }
    }

    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static let vectors: [Vector] = [
        Vector(
            name: "get-vanilla", service: "service",
            request: .init(
                method: "GET", path: "/", headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", amzDate)],
                body: Data()),
            canonicalRequest: "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + emptyHash,
            stringToSign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "post-vanilla", service: "service",
            request: .init(
                method: "POST", path: "/", headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", amzDate)],
                body: Data()),
            canonicalRequest: "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + emptyHash,
            stringToSign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(
            name: "post-x-www-form-urlencoded", service: "service",
            request: .init(
                method: "POST", path: "/",
                headers: [
                    ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"),
                    ("X-Amz-Date", amzDate),
                ],
                body: Data("Param1=value1".utf8)),
            canonicalRequest: "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
                + "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            stringToSign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
        Vector(
            name: "get-vanilla-query-order-key-case", service: "service",
            request: .init(
                method: "GET", path: "/", query: [("Param2", "value2"), ("Param1", "value1")],
                headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", amzDate)], body: Data()),
            canonicalRequest: "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + emptyHash,
            stringToSign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(
            name: "iam-list-users (SigV4 documentation example)", service: "iam",
            request: .init(
                method: "GET", path: "/", query: [("Action", "ListUsers"), ("Version", "2010-05-08")],
                headers: [
                    ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Host", "iam.amazonaws.com"),
                    ("X-Amz-Date", amzDate),
                ],
                body: Data()),
            canonicalRequest: "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
                + "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n" + emptyHash,
            stringToSign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
                + "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
            signature: "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"),
    ]

    @Test(arguments: vectors)
    func publishedVector(_ vector: Vector) {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: vector.service)
        let (canonical, _) = signer.canonicalRequest(vector.request)
        #expect(canonical == vector.canonicalRequest)
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, amzDate: Self.amzDate)
        #expect(stringToSign == vector.stringToSign)
        #expect(signer.signature(stringToSign: stringToSign, amzDate: Self.amzDate) == vector.signature)
    }

    @Test func signAddsDateAndAuthorizationHeaders() throws {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "service")
        let date = try #require(ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z"))
        let added = signer.sign(
            .init(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: Data()), date: date)
        #expect(added.first { $0.0 == "X-Amz-Date" }?.1 == Self.amzDate)
        #expect(
            added.first { $0.0 == "Authorization" }?.1
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }

    @Test func sessionTokenIsSigned() {
        var credentials = Self.credentials
        credentials.sessionToken = "TOKEN"
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "servicediscovery")
        let added = signer.sign(.init(method: "POST", path: "/", headers: [("Host", "h")], body: Data()))
        #expect(added.contains { $0.0 == "X-Amz-Security-Token" && $0.1 == "TOKEN" })
        #expect(added.last?.1.contains("SignedHeaders=host;x-amz-date;x-amz-security-token") == true)
    }

    @Test func credentialsAndRegionFromEnvironment() {
        let configuration = CloudMapClientConfiguration.fromEnvironment([
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_DEFAULT_REGION": "eu-west-1",
        ])
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.credentials?.accessKeyId == "AKID")
        #expect(configuration.credentials?.description.contains("SECRET") == false)
        #expect(configuration.endpoint == nil)
        #expect(CloudMapClientConfiguration.fromEnvironment([:]).credentials == nil)
    }

    @Test func dataPrefixOnlyForAWSEndpoints() {
        let aws = CloudMapClientConfiguration(region: "us-west-2")
        #expect(aws.url(for: .discoverInstances) == "https://data-servicediscovery.us-west-2.amazonaws.com/")
        #expect(aws.url(for: .discoverInstancesRevision) == "https://data-servicediscovery.us-west-2.amazonaws.com/")
        #expect(aws.url(for: .registerInstance) == "https://servicediscovery.us-west-2.amazonaws.com/")
        let local = CloudMapClientConfiguration(endpoint: "http://127.0.0.1:7400")
        #expect(local.url(for: .discoverInstances) == "http://127.0.0.1:7400/")
        #expect(
            CloudMapClientConfiguration(region: "cn-north-1").url(for: .getService)
                == "https://servicediscovery.cn-north-1.amazonaws.com.cn/")
    }
}
